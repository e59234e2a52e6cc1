"""The documented JSON Schemas agree with what ships and what the code writes."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from desktop.exchange.interchange import export_report
from desktop.app.demo import load_demo

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "docs" / "schemas"


def schema(name):
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted((REPO / "forms").glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_matches_its_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    owner = yaml.safe_load((path.parent / "set.yaml").read_text(encoding="utf-8"))
    if path.name == "set.yaml":
        name = "form-set.schema.json"
    elif path.name == "noi-dung.yaml":  # the set's own body outline
        name = "outline.schema.json"
    elif owner.get("kind") == "chi_so" and owner.get("criteria") == path.name:
        name = "criteria.schema.json"
    else:
        name = "form.schema.json"
    jsonschema.validate(data, schema(name))


def test_the_form_schema_refuses_what_the_loader_refuses():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"code": "X", "printed_code": "X", "title": "X", "columns": [], "rows": [], "colour": 1},
                            schema("form.schema.json"))


def test_every_exported_demo_report_matches_the_interchange_schema(store, real_catalog):
    load_demo(store, real_catalog)
    for report in store.reports.all():
        jsonschema.validate(export_report(store, real_catalog, report.id), schema("report.schema.json"))
