"""Examples of the case list and detail for the schema (checked against it by
tests/api/test_schema.py). Nested arrays are left short."""

from drf_spectacular.utils import OpenApiExample

CASE = {
    "id": 42,
    "title": "Prosecution of land activists in Tbong Khmum",
    "title_km": "",
    "case_number": "1234/2024",
    "status": "trial",
    "status_as_of": "2024-06-01",
    "certainty": "reported",
    "court": {
        "id": 3,
        "name_en": "Tbong Khmum Provincial Court",
        "name_km": "",
        "level": "first_instance",
        "province": "Tbong Khmum",
    },
    "summary": "Three villagers charged after a protest over a land concession.",
    "summary_km": "",
    "tags": ["land"],
    "defendant_count_is_minimum": False,
    "defendants": [],
    "charges": [],
    "hearings": [],
    "created_at": "2024-03-02T08:15:00Z",
    "updated_at": "2024-06-03T01:20:00Z",
}

CASE_LIST = OpenApiExample(
    "A page of cases",
    value={
        "next": "https://tracker.example.org/api/v1/cases/?cursor=cD00Mg%3D%3D",
        "previous": None,
        "results": [CASE],
    },
    response_only=True,
)

CASE_DETAIL = OpenApiExample(
    "A case",
    value={**CASE, "court": None, "decisions": [], "custody_periods": [], "citations": []},
    description="A case whose court is not known (`court` is null).",
    response_only=True,
)
