"""Places in the browser: a coordinator makes a layer, imports Toronto's 140 neighbourhoods and the 2018
incidents through the forms, watches the job, reads the counts; axe on every page on the way."""
import pathlib
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE, sign_in, submit
from test_browser import assert_accessible

DATA = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_import_areas_and_incidents_then_read_the_counts(driver):
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    assert_accessible(driver, BASE + "/layers/new")
    driver.find_element(By.ID, "nameEn").send_keys("Toronto neighbourhoods (140)")
    Select(driver.find_element(By.ID, "layerKind")).select_by_value("neighbourhoods")
    submit(driver, "form[novalidate] button[type=submit]")
    layer = driver.current_url.split("?")[0]
    assert_accessible(driver, layer + "/areas")
    driver.find_element(By.ID, "file").send_keys(str(DATA / "boundaries" / "toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json"))
    driver.find_element(By.ID, "idProperty").send_keys("Hood_ID")
    driver.find_element(By.ID, "nameProperty").send_keys("Neighbourh")
    submit(driver, "form[enctype] button[type=submit]")
    assert "Areas imported: 140" in driver.find_element(By.TAG_NAME, "main").text

    assert_accessible(driver, BASE + "/incidents/import")
    driver.find_element(By.ID, "file").send_keys(str(DATA / "crime" / "toronto_mci_2018.csv"))
    for field, column in [("occurredAt", "occurrencedate"), ("category", "mci_category"), ("eventId", "event_uniq_id"),
                          ("reportedArea", "neighbourhood"), ("longitude", "long"), ("latitude", "lat")]:
        driver.find_element(By.ID, field).send_keys(column)
    submit(driver, "form[enctype] button[type=submit]")
    assert "/jobs/" in driver.current_url
    job = driver.current_url
    for _ in range(120):
        driver.get(job)
        if "35478 rows" in driver.page_source:
            break
        time.sleep(1)
    assert "35478 rows: 35478 added" in driver.page_source
    assert_accessible(driver, job)
    counts = BASE + "/incidents/counts?layerId=" + layer.rsplit("/", 1)[1] + "&period=year"
    assert_accessible(driver, counts)
    assert "Maple Leaf (029)" in driver.find_element(By.TAG_NAME, "table").text
    assert_accessible(driver, counts + "&lang=fr")
    assert_accessible(driver, layer + "/map?from=2018-01-01&to=2018-12-31")
    assert "Waterfront Communities-The Island (077)" in driver.find_element(By.TAG_NAME, "table").text
    assert_accessible(driver, layer + "/areas/077/map?from=2018-01-01&to=2018-12-31")


def api(method, path, body=None):
    import json
    import os
    import urllib.request
    request = urllib.request.Request(BASE + "/api/v1" + path, data=json.dumps(body).encode() if body else None, method=method,
                                     headers={"Authorization": "Bearer " + os.environ["WELLPLAN_TOKEN"], "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_evaluate_a_recommendation_against_the_imported_incidents(driver):
    """Runs after the import above: a site on Toronto's waterfront, lit on 1 July 2018, against a control
    neighbourhood in the far north-west; the first half of 2018 against the second."""
    layer = next(l for l in api("GET", "/layers")["items"] if l["nameEn"].startswith("Toronto"))
    project = api("GET", "/projects")["items"][0]["id"]
    audit = api("POST", "/cpted-audits", {"projectId": project, "siteName": "Queens Quay laneway", "latitude": 43.6408,
                                          "longitude": -79.3806, "auditedOn": "2018-05-01", "method": "community_walkabout"})["id"]
    rec = api("POST", "/cpted-recommendations", {"auditId": audit, "category": "lighting", "descriptionEn": "Light the laneway",
                                                 "status": "implemented", "implementedOn": "2018-07-01"})["id"]
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    page = (BASE + f"/cpted-recommendations/{rec}/evaluation?controlLayerId={layer['id']}&controlAreaCode=001"
            "&months=6&seasonal=false&siteRadius=400&bufferWidth=400")
    assert_accessible(driver, page)
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "Weighted displacement difference" in text or "Insufficient data" in text
    counts = driver.find_element(By.TAG_NAME, "table").text
    assert_accessible(driver, page + "&lang=fr")
    # The audit's site, around a day the coordinator names: the same design, with the day as a field.
    site = (BASE + f"/cpted-audits/{audit}/evaluation?controlLayerId={layer['id']}&controlAreaCode=001"
            "&months=6&seasonal=false&siteRadius=400&bufferWidth=400&changedOn=2018-07-01&lang=en")
    assert_accessible(driver, site)
    assert driver.find_element(By.ID, "changedOn").get_attribute("value") == "2018-07-01"
    assert driver.find_element(By.TAG_NAME, "table").text == counts  # the recommendation was implemented that day


def test_a_findings_photo_is_shown_upright_without_its_metadata(driver, tmp_path):
    """A phone photo (stored sideways, EXIF orientation 6, the owner's name and a GPS position) added through
    the form: the browser draws it, and the kept file still decodes, keeps the orientation and nothing else."""
    import io
    import os
    import urllib.request

    from PIL import Image

    project = api("GET", "/projects")["items"][0]["id"]
    audit = api("POST", "/cpted-audits", {"projectId": project, "siteName": "Arena lane", "latitude": 42.3, "longitude": -83.0, "auditedOn": "2026-10-02",
                                          "method": "womens_safety_audit"})["id"]
    finding = api("POST", "/audit-findings", {"auditId": audit, "principle": "natural_surveillance", "severity": "high",
                                              "descriptionEn": "No light over the rear exit"})["id"]
    photo = tmp_path / "lane.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x013B] = "Jane Doe"  # artist
    exif[0x8825] = {1: "N", 2: (42.0, 18.0, 0.0)}  # GPS
    Image.new("RGB", (64, 48), (40, 40, 90)).save(photo, "JPEG", exif=exif.tobytes())
    assert b"Jane Doe" in photo.read_bytes()

    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    page = BASE + f"/audit-findings/{finding}/photos"
    assert_accessible(driver, page)
    driver.find_element(By.ID, "file").send_keys(str(photo))
    driver.find_element(By.ID, "descriptionEn").send_keys("Dark rear exit of the arena, seen from the lane")
    submit(driver, "form[enctype] button[type=submit]")
    image = driver.find_element(By.CSS_SELECTOR, "ul.photos img")
    assert image.get_attribute("alt") == "Dark rear exit of the arena, seen from the lane"
    assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 48  # drawn upright
    assert_accessible(driver, page)

    request = urllib.request.Request(BASE + f"/api/v1/audit-findings/{finding}/photos/1",
                                     headers={"Authorization": "Bearer " + os.environ["WELLPLAN_TOKEN"]})
    kept = urllib.request.urlopen(request).read()
    assert b"Jane Doe" not in kept
    picture = Image.open(io.BytesIO(kept))
    picture.load()
    assert picture.size == (64, 48)
    assert dict(picture.getexif()) == {0x0112: 6}
