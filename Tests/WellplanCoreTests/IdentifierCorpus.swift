/// Snippets written for the identifier guard's test, in English and French, as a situation table's
/// Filter 2 narratives are typed. Each identifying line is `kind | text`; clean lines are whole narratives.
/// None of the people, numbers or places is real.
enum IdentifierCorpus {
    static let identifying = #"""
        phone | Mother can be reached at 519-555-0143 after six.
        phone | Call the school contact at (519) 555-0199 ext. 204 before Friday.
        phone | Youth gave his cell, 226.555.0187, to the outreach worker.
        phone | Le père a laissé son numéro : 613 555 0122.
        phone | Joindre la tante au 1-819-555-0175 en soirée.
        phone | Landlord's number is 5195550168, he wants a call back.
        phone | Neighbour reported it from 555-0131 twice last week.
        phone | Contact +1 416 555 0110 for the shelter bed.
        phone | On peut rejoindre la famille au (705) 555-0184, poste 12.
        phone | Worker's note: reach grandmother at 289-555-0156.
        email | He emails the caseworker from kdog2009@example.com late at night.
        email | Le jeune écrit à partir de lili.b@courriel.ca depuis mars.
        email | Family friend wrote to help.me.now@example.org asking for food.
        email | Send the consent form to mtremblay@example.net.
        email | L'adresse courriel du parent est parent_123@exemple.qc.ca.
        postal | The family moved to N9A 6T3 in the fall.
        postal | Lives near K1P5J2 with two roommates.
        postal | Le logement se trouve dans le secteur J8Y 3B4.
        postal | Shelter intake listed postal code m5v 2t6.
        postal | Elle habite au code postal P3E 2C6 depuis l'été.
        postal | Postal code on the file is N8X-1L9.
        address | She is staying at 1240 Ouellette Avenue with an aunt.
        address | Police attended 55 Elm St. three times in October.
        address | Youth sleeps at 17 Maple Grove Crescent most nights.
        address | The dwelling at 2201 Huron Church Road has no heat.
        address | Le signalement vient du 455, rue Sainte-Catherine.
        address | Il dort chez un ami au 12 avenue des Pins.
        address | Elle vit dans l'appartement 12 avec ses trois enfants.
        address | Apt 3B, the door was found kicked in.
        address | Found at 88 Riverside Drive East near the park.
        address | Le logement au 301, boulevard Saint-Joseph est insalubre.
        address | Tenant at 4 Wyandotte St has hoarding concerns.
        address | Family relocated to 960 Sandwich Street West.
        address | Les voisins du 27 chemin du Lac se plaignent.
        address | Hoarding at 145 Tecumseh Rd; fire visited.
        dob | DOB 2009-07-12, attends the high school.
        dob | Youth's date of birth is 12/07/2009.
        dob | Born on March 3, 2010, living with grandparents.
        dob | Né le 4 août 2008, il a quitté le foyer.
        dob | Date de naissance : 2011-01-30.
        dob | D.O.B. 07/22/1961, lives alone with many cats.
        dob | Born 1958 and refuses home care.
        dob | Née en 2007, elle fréquente l'école secondaire.
        dob | Birthdate: 2005/11/02, no fixed address.
        dob | DDN 1999-12-31 selon la police.
        healthcard | Health card 1234-567-890 was found in the wallet.
        healthcard | OHIP number 4567 123 456 AB noted by EMS.
        healthcard | Carte santé 9876-543-210-XY au dossier.
        healthcard | Hospital has him under 2345-678-901.
        healthcard | Son numéro de santé est 5678 901 234.
        healthcard | EMS recorded 1122334455 KL on the run sheet.
        sin | SIN 046 454 286 is on the Ontario Works file.
        sin | Son NAS, 046-454-286, a été utilisé frauduleusement.
        sin | Social insurance number 130692544 was given at intake.
        sin | Her SIN is 193-456-787 according to the landlord.
        sin | Le numéro d'assurance sociale 046454286 figure au bail.
        titled | Mr. Tremblay has been calling the school every day.
        titled | Mrs. Singh is afraid to go home.
        titled | Ms Okafor refuses to let workers in.
        titled | Dr. Haddad at the clinic raised the concern.
        titled | Mme Gagnon a appelé trois fois la police.
        titled | M. Bouchard refuse de quitter le logement.
        titled | Madame Leduc vit seule depuis le décès de son mari.
        titled | Monsieur Arsenault a menacé les voisins.
        titled | Miss Dhillon was seen crying at the bus stop.
        titled | Mx. Rowan asked for a safe bed.
        titled | Her son Kevin stopped going to school in February.
        titled | His daughter, Maddy, is staying with friends.
        titled | The mother's boyfriend Derek has a weapons history.
        titled | Sa fille Léonie ne va plus à l'école.
        titled | Son fils Jérémie a fugué deux fois.
        titled | Her brother Tanner sells pills at the park.
        titled | Grandmother Evelyn cannot manage his behaviour.
        titled | Le conjoint Réjean boit tous les soirs.
        titled | La voisine Huguette a entendu des cris.
        titled | His roommate Dustin was charged last month.
        titled | Her partner, Brayden, controls the money.
        titled | The landlord Ferguson threatened eviction.
        titled | Sa mère Ginette est hospitalisée.
        titled | The child's father Curtis left the province.
        titled | Elle vit avec son copain Maxence.
        titled | Uncle Walter lets the youth drink at home.
        names | Kevin Tremblay was picked up downtown again.
        names | Olivia missed 30 days of school this term.
        names | The police know Jamal from two break-ins.
        names | Émilie Gagnon dort chez des amis.
        names | Gabriel et sa mère vivent dans une voiture.
        names | Priya's mother called the crisis line.
        names | Nathan and his brother are not supervised.
        names | Mathieu Côté n'a pas de logement.
        names | Worker met Sarah at the drop-in on Monday.
        names | Les enseignants disent que Zoé est absente.
        names | Kayla Wilson has been couch surfing.
        names | Ahmed is afraid of his older cousin.
        names | Camille Bergeron refuse les services.
        names | Dylan was found sleeping in the stairwell.
        names | Chen's landlord wants him out.
        names | Elle s'appelle Julie Leblanc, selon l'école.
        names | Dad says Logan runs away every weekend.
        names | Jessica Morin told staff she feels unsafe.
        mixed | Mr. Patel (519-555-0177) lives at 302 Erie Street with his son.
        mixed | Joindre Mme Roy au 613-555-0190, 14 rue Principale.
        mixed | Liam, DOB 2010-05-05, is at N9B 1A1.
        mixed | Contact sarah.k@example.com or 226-555-0145 about Olivia.
        """#

    static let clean = #"""
        Unit 5 of the rooming house has been flagged by fire.
        Incident on 2026-03-14 involved a knife.
        Discharged from hospital on 14/03/2026 with no plan.
        The eviction hearing is March 21, 2026.
        Il a été arrêté le 3 avril 2025 près de l'école.
        Last seen on 12 March 2026 at the bus terminal.
        Court date set for 2026/04/02.
        Le rendez-vous est fixé au 15 mai 2026.
        Released from custody Jan 5, 2026.
        Police call logged 03-11-2025 for a disturbance.
        Le 1er juin 2026, la mère a quitté le domicile.
        Overdose reported on September 9th, 2025.
        Suspended from school 10.02.2026 for fighting.
        Youth aged 16 has missed most of the term; peers involved in drug use; family unable to supervise.
        Adult male in his forties, chronic alcohol use, recent police contacts for disturbances, no fixed address.
        Senior living alone with signs of self-neglect and hoarding; fire services concerned about exits.
        Family of five facing eviction at the end of the month; parents both unemployed; children missing school.
        Young woman with suspected mental health problem, three emergency visits in two weeks, not following treatment.
        Dwelling with repeated calls for service, visible drug activity, neighbours afraid to report.
        Teen associating with negative peers, suspected gang involvement, victim of an assault last month.
        Adult with cognitive impairment being financially exploited by acquaintances.
        Mother reports emotional violence in the home; children aged 4 and 7 witness conflict.
        Grandparent caring for two grandchildren; basic needs not met; food insecurity.
        Man in his thirties threatening self-harm after job loss; previous suicide attempt reported.
        Youth in care running away repeatedly; found twice at a known trap house.
        Couple in their sixties with escalating physical violence; police called four times since the summer.
        Woman fleeing intimate partner violence, staying in a motel with a toddler, no income.
        Student making threats on social media; school has concerns about access to weapons.
        Adult son with schizophrenia living with elderly parents; parents afraid of him.
        Neighbourhood with needle debris near the playground and a rise in overdoses.
        Youth aged 13 using alcohol daily; older sibling recently incarcerated.
        Person experiencing homelessness, frostbite concerns, refuses shelter due to past conflict.
        Family new to Canada, language barriers, child with unmet developmental needs.
        Senior victim of elder abuse by an adult grandchild who lives in the home.
        Chronic gambling causing harm to family finances; utilities about to be cut.
        Teen girl suspected of being sexually exploited; older men picking her up after school.
        Adult with opioid use disorder, recent non-fatal overdose, released from hospital without follow-up.
        Repeated calls about a dwelling where children are left unsupervised overnight.
        Man with brain injury getting into fights at the shelter; banned from two programs.
        Young father recently released from custody; no housing; probation has concerns.
        Mother with postpartum depression, not sleeping, partner working out of town.
        Youth with autism spectrum disorder escalating at home; parents exhausted; respite waitlist long.
        Person in crisis calling 911 several times a week; EMS and police both involved.
        The table discussed a rooming house with fire code violations and vulnerable tenants.
        Elderly woman wandering at night; early dementia; family lives out of province.
        Older teen couch surfing after conflict with stepfather; using cannabis daily.
        Adult male victim of robbery twice this month; possible cognitive impairment.
        Child aged 9 with chronic absenteeism; parent reports anxiety and school refusal.
        Family where both parents use methamphetamine; infant in the home; CAS already involved.
        Woman with chronic illness unable to meet own basic needs; missed dialysis twice.
        Two youths involved in a series of thefts; parents not aware; school reports truancy.
        Man sleeping in a bus shelter since the warming centre closed in April.
        The police raised a location of concern near the river where encampments have grown.
        Adult daughter caring for a parent with dementia; signs of caregiver burnout and neglect.
        Youth assaulted at school and now refusing to attend; talking about revenge.
        Senior hoarding with pests; landlord threatening to end the tenancy.
        Person with developmental disability being pressured to hold drugs for others.
        A mother and her children returned to the home of a violent partner after 3 nights at the shelter.
        Teen posting about suicide; two friends raised it with a guidance counsellor.
        Adult man making threats toward staff at Ontario Works; history of violence.
        Family lost housing after a fire; staying with relatives in overcrowded conditions.
        Youth involved with gangs, carrying a weapon, victim of a shooting in 2024.
        Woman with alcohol use disorder, falls at home, refused EMS transport twice.
        Person with untreated diabetes and no fixed address; wound care needed.
        Situation of a family with chronic neglect concerns; five children under 12.
        Adult with psychosis, paranoid about neighbours, barricading doors.
        Youth aged 15 exploited online; parents unaware of the extent.
        Older adult being scammed by phone; bank flagged large withdrawals.
        Mother reported her son, 17, is stealing to pay drug debts.
        Man recently widowed, drinking heavily, giving away belongings.
        Parent with a cognitive disability struggling to care for a newborn; limited supports.
        Repeated noise and violence complaints at a dwelling in the east end.
        Teen with an eating disorder, hospital waitlist of several months, school worried.
        The agency notes a pattern of missed appointments since early spring.
        Three police calls in two weeks, each at about 2 a.m.
        Risk factors: alcohol, housing, mental health; protective factor: strong bond with a teacher.
        Youth aged 12 smoking cannabis with older peers at the skate park.
        Couple facing eviction; one partner in hospital; pets in the unit left alone.
        Young adult aging out of care with no plan; history of self-harm.
        Middle-aged woman with chronic pain and opioid dependence; prescriptions ended abruptly.
        Brother and sister missing school to care for a sick parent.
        Person sleeping in a vehicle through the winter; frostbite risk.
        Adult male with dementia driving despite a suspended licence.
        The school raised a family with repeated lice outbreaks and lack of food in lunches.
        Neighbours report a strong smell and no one seen for days.
        Adolescent with repeated police contact for mischief; parents request help.
        Mental health crisis escalated over the weekend; mobile crisis team attended.
        Jeune de 16 ans absent de l'école depuis plusieurs semaines; fréquente des pairs négatifs.
        Homme dans la quarantaine, consommation d'alcool chronique, aucun domicile fixe.
        Aînée vivant seule, signes de négligence de soi et d'accumulation; les pompiers sont inquiets.
        Famille de cinq personnes menacée d'expulsion à la fin du mois; parents sans emploi.
        Jeune femme avec un problème de santé mentale soupçonné, trois visites à l'urgence en deux semaines.
        Logement avec appels répétés à la police et activité liée aux drogues.
        Adolescent associé à des pairs négatifs, victime d'une agression le mois dernier.
        La mère signale de la violence psychologique à la maison; enfants de 4 et 7 ans témoins.
        Grand-mère qui prend soin de deux petits-enfants; besoins de base non comblés.
        Homme dans la trentaine qui menace de se faire du mal après la perte de son emploi.
        Jeune pris en charge qui fugue à répétition; retrouvé deux fois dans un lieu connu.
        Couple dans la soixantaine, violence physique croissante, quatre appels à la police depuis l'été.
        Femme fuyant la violence conjugale avec un bambin, hébergée dans un motel, sans revenu.
        Élève qui profère des menaces sur les réseaux sociaux; l'école craint l'accès à des armes.
        Fils adulte atteint de schizophrénie vivant avec ses parents âgés, qui ont peur de lui.
        Quartier avec des seringues près du parc et une hausse des surdoses.
        Jeune de 13 ans qui consomme de l'alcool chaque jour; frère aîné incarcéré récemment.
        Personne en situation d'itinérance, risque d'engelures, refuse le refuge.
        Famille nouvellement arrivée au Canada, barrières linguistiques, enfant aux besoins non comblés.
        Aîné victime de maltraitance par un petit-fils adulte qui habite chez lui.
        Jeu compulsif qui nuit aux finances familiales; l'électricité sera coupée.
        Adolescente soupçonnée d'exploitation sexuelle; des hommes plus âgés la prennent après l'école.
        Adulte ayant un trouble lié aux opioïdes, surdose non mortelle récente, sans suivi.
        Enfants laissés sans surveillance la nuit, selon plusieurs appels.
        Homme avec une lésion cérébrale qui se bat au refuge; exclu de deux programmes.
        Jeune père récemment libéré; aucun logement; la probation s'inquiète.
        Mère souffrant de dépression post-partum, ne dort pas, conjoint qui travaille à l'extérieur.
        Personne en crise qui appelle le 911 plusieurs fois par semaine.
        Maison de chambres avec des infractions au code de prévention des incendies et des locataires vulnérables.
        Dame âgée qui erre la nuit; démence précoce; famille à l'extérieur de la province.
        Adolescent qui dort chez des amis après un conflit avec son beau-père; consommation quotidienne de cannabis.
        Enfant de 9 ans souvent absent; le parent rapporte de l'anxiété.
        Parents qui consomment de la méthamphétamine; nourrisson à la maison; la SAE est déjà impliquée.
        Femme atteinte d'une maladie chronique incapable de répondre à ses besoins de base.
        Deux jeunes impliqués dans une série de vols; l'école signale de l'absentéisme.
        Homme qui dort dans un abribus depuis la fermeture du centre de réchauffement en avril.
        La police signale un campement qui grandit près de la rivière.
        Jeune agressé à l'école qui refuse maintenant d'y aller et parle de vengeance.
        Aîné qui accumule des objets; présence de vermine; le propriétaire menace de mettre fin au bail.
        Personne ayant une déficience intellectuelle à qui l'on fait garder de la drogue.
        Adolescente qui publie des messages suicidaires; deux amies ont alerté l'orientation.
        Famille qui a perdu son logement dans un incendie; surpeuplement chez des proches.
        Jeune lié à des gangs, porte une arme, victime d'une fusillade en 2024.
        Femme ayant un trouble lié à l'alcool, chutes à domicile, a refusé le transport ambulancier.
        Adulte en psychose, paranoïaque envers les voisins, barricade ses portes.
        Aînée victime d'une fraude téléphonique; la banque a signalé des retraits importants.
        La mère signale que son fils de 17 ans vole pour payer des dettes de drogue.
        Homme récemment veuf qui boit beaucoup et donne ses biens.
        Plaintes répétées de bruit et de violence dans un logement de l'est de la ville.
        Trois appels à la police en deux semaines, chaque fois vers 2 h du matin.
        Facteurs de risque : alcool, logement, santé mentale; facteur de protection : lien fort avec une enseignante.
        Jeune adulte qui quitte les soins sans plan; antécédents d'automutilation.
        Frère et sœur qui manquent l'école pour s'occuper d'un parent malade.
        La crise de santé mentale s'est aggravée pendant la fin de semaine; l'équipe mobile est intervenue.
        """#
}
