"""Builds Sources/WellplanCore/Resources/person-names.json, the identifier guard's gazetteer of given names
and surnames, from the name lists of Faker (MIT licence, https://github.com/joke2k/faker), for the
languages Canadians' names most often come from; names that are also everyday English or French words
("may", "rose", "pierre") are marked ambiguous, using the Debian word lists wamerican and wfrench, so the
guard asks for context before refusing them. Run with a Python that has `faker` installed:

    python3 scripts/lib/make_name_gazetteer.py
"""
import importlib
import json
import unicodedata
from pathlib import Path

import faker

LOCALES = ["en_US", "en_GB", "en_IE", "en_IN", "en_NZ", "en_PK", "fr_CA", "fr_QC", "fr_FR", "ar_AA", "es_MX", "it_IT",
           "pt_BR", "hi_IN", "vi_VN"]
# Common romanized East Asian surnames, which Faker lists only in their own scripts.
EXTRA_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu",
                  "Guo", "He", "Lin", "Luo", "Zheng", "Liang", "Xie", "Tang", "Feng", "Deng", "Cao", "Wong", "Chan", "Leung",
                  "Cheung", "Lau", "Ng", "Ho", "Kim", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Nguyen",
                  "Tran", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ngo", "Duong", "Ly", "Patel", "Singh", "Sharma",
                  "Gill", "Sandhu", "Sidhu", "Dhillon", "Grewal", "Khan", "Ali", "Ahmed", "Hussain", "Syed"]
EXTRA_GIVEN = ["Aaliyah", "Jaxon", "Priya", "Marie-Ève", "Anne-Sophie", "Jean-Philippe", "Jean-François", "Marc-André",
               "Pier-Luc", "Marie-Pier", "Ève", "Noémie", "Léonie", "Maëlle", "Zoé", "Loïc", "Raphaël", "Thierry",
               # Québec and Franco-Ontarian given names of every generation that Faker's French lists lack.
               "Réjean", "Huguette", "Ginette", "Jérémie", "Maxence", "Gaétan", "Ghislain", "Jocelyne", "Lise", "Francine",
               "Sylvie", "Manon", "Nathalie", "Josée", "Chantal", "Johanne", "Diane", "Carole", "Lucie", "Danielle", "Réal",
               "Rosaire", "Gilles", "Yvon", "Normand", "Serge", "Sylvain", "Stéphane", "Éric", "Mathieu", "Maxime", "Samuel",
               "Gabriel", "Félix", "Olivier", "William", "Thomas", "Jacob", "Logan", "Rosalie", "Océane", "Laurie", "Mégane",
               "Audrey", "Catherine", "Geneviève", "Véronique", "Mélanie", "Karine", "Annie", "Isabelle", "Julie", "Marie-Claude",
               "Marie-Josée", "Jean-Guy", "Jean-Marc", "Jean-Luc", "Jean-Claude", "Paul-Émile", "Rémi", "Hugo", "Émile", "Léo",
               "Alexis", "Xavier", "Justin", "Kevin", "Jessica", "Vanessa", "Kassandra", "Cédric", "Dany", "Steve", "Yannick",
               # Popular given names of Québec births in the last twenty years.
               "Mathis", "Liam", "Noah", "Florence", "Emma", "Alice", "Charlotte", "Béatrice", "Juliette", "Livia", "Léa",
               "Chloé", "Clara", "Jade", "Mia", "Éloïse", "Maëva", "Anaïs", "Elliot", "Arthur", "Édouard", "Charles", "Nathan",
               "Jayden", "Zack", "Laurent", "Antoine", "Benjamin", "Tristan", "Malik", "Ayden", "Naomie", "Ariane", "Marilou",
               # Punjabi and other South Asian given names common in Ontario that Faker's lists lack.
               "Harpreet", "Gurpreet", "Manpreet", "Jaspreet", "Navdeep", "Simran", "Amandeep", "Harjit", "Kuldeep", "Rajinder",
               "Baljit", "Parminder", "Sukhpreet", "Gurjit", "Jaswinder", "Harjot", "Arshdeep", "Navjot", "Ravinder", "Sandeep",
               "Kamaljit", "Ramandeep", "Jasleen", "Gurleen", "Harleen", "Rupinder", "Tejinder", "Balwinder",
               # Short forms people go by.
               "Deb", "Debbie", "Jen", "Jenn", "Liz", "Beth", "Kate", "Katie", "Mike", "Dave", "Steve", "Chris", "Matt", "Nick",
               "Tom", "Tony", "Rob", "Bob", "Bill", "Jim", "Jimmy", "Joe", "Pat", "Sam", "Alex", "Andy", "Danny", "Ben", "Ron",
               "Don", "Ken", "Sue", "Sandy", "Cathy", "Kathy", "Patty", "Terry", "Jerry", "Larry", "Gary", "Barb", "Cindy",
               "Angie", "Vicky", "Becky", "Nikki", "Jess", "Mel", "Steph", "Tina", "Trish", "Val", "Gord", "Marty", "Rick"]


def fold(name):
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def names(locale):
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    given, family = set(), set()
    for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
        values = getattr(provider, attribute, None) or {}
        given |= set(values.keys() if isinstance(values, dict) else values)
    values = getattr(provider, "last_names", None) or {}
    family |= set(values.keys() if isinstance(values, dict) else values)
    return given, family


def latin(name):
    return all(unicodedata.category(c)[0] == "L" and "LATIN" in unicodedata.name(c, "") or c in "-' " for c in name)


given, family = set(EXTRA_GIVEN), set(EXTRA_SURNAMES)
for locale in LOCALES:
    g, f = names(locale)
    given |= g
    family |= f
given = sorted({n for n in given if latin(n) and len(n) > 1}, key=fold)
family = sorted({n for n in family if latin(n) and len(n) > 1} - set(given), key=fold)

words = set()
for path in ("/usr/share/dict/american-english", "/usr/share/dict/french"):
    for line in Path(path).read_text(encoding="utf-8", errors="ignore").splitlines():
        if line and line[0].islower():
            words.add(fold(line.removesuffix("'s")))
ambiguous = sorted({fold(n) for n in given + family if fold(n) in words})

out = Path(__file__).resolve().parents[2] / "Sources/WellplanCore/Resources/person-names.json"
out.write_text(json.dumps({
    "source": f"Faker {faker.VERSION} person providers ({', '.join(LOCALES)}), plus common romanized East Asian and "
              "South Asian surnames and Québec compound given names; ambiguity from Debian's wamerican and wfrench word lists",
    "licence": "Faker: MIT licence, Copyright (c) 2012 Daniele Faraglia; see Sources/WellplanCore/Resources/person-names.NOTICE",
    "given": given, "surnames": family, "ambiguous": ambiguous,
}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
print(f"{len(given)} given names, {len(family)} surnames, {len(ambiguous)} also everyday words → {out}")
