"""An animal shelter's API: a small, real OpenAPI 3.1 producer for the tests.

FastAPI writes the OpenAPI 3.1 document of this application; `specs/shelter.json` is the
committed copy the Rust crates are generated from. The tests start this application with
uvicorn, check that it still writes the committed document, and call every route with the
generated client. Its data is fixed, so every answer is known.

Print the document (to refresh `specs/shelter.json` after changing this file):

    .cache/venv/bin/python tools/fastapi/shelter.py > specs/shelter.json

Besides JSON, it takes uploads (one and several files with form fields), a form post, a JSON
Merge Patch body and a cookie, answers a binary photo and a text story, and guards staff routes
with HTTP basic and an API key in a header, next to public routes. It streams, too: arrivals as
server-sent events, an assistant that answers JSON or events by a `stream` field of its
question, and the animals as NDJSON, each declared the way OpenAI's description declares its
streams.

And it pages, once in each way real APIs page, over the same known list of volunteers: a
`Link` header (GitHub), `starting_after` the last id while `has_more` (Stripe), a page token
(Google), a `next` URL in the body (Django), an offset up to a total, and a page number up to
a page count. It counts the requests each list gets (`/volunteers/requests`), so that a test
sees one request per page.

It talks back, too: two webhooks (an adoption completed, an animal arrived), each told apart by
its `type`, which `POST /subscriptions` sends at once to the URL it is given, signed as the
Standard Webhooks specification says (HMAC-SHA256 of `id.timestamp.body` with the secret,
written with the standard library here), and answers with the statuses the receiver gave.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timezone
from enum import Enum
from typing import Annotated, Literal, Optional, Union

import secrets

from fastapi import (
    Body,
    Cookie,
    Depends,
    FastAPI,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

app = FastAPI(
    title="Shelter",
    summary="Animals waiting for a home, and the people who adopt them.",
    version="1.0.0",
    license_info={"name": "MIT", "identifier": "MIT"},
    servers=[{"url": "http://127.0.0.1:8000", "description": "A local run"}],
)


class Species(str, Enum):
    cat = "cat"
    dog = "dog"


class Size(int, Enum):
    small = 1
    medium = 2
    large = 3


class Vaccination(BaseModel):
    name: str
    on: date


class Cat(BaseModel):
    """A cat; `kind` tells it from a dog."""

    kind: Literal["cat"] = "cat"
    id: int
    name: str
    indoor: bool
    nickname: Optional[str] = None
    microchip: Union[int, str, None] = None
    vaccinations: list[Vaccination] = []


class Dog(BaseModel):
    """A dog; `kind` tells it from a cat."""

    kind: Literal["dog"] = "dog"
    id: int
    name: str
    size: Size
    nickname: Optional[str] = None
    good_with: dict[str, bool] = {}


Animal = Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class NewCat(BaseModel):
    kind: Literal["cat"] = "cat"
    name: str
    indoor: bool = True


class NewDog(BaseModel):
    kind: Literal["dog"] = "dog"
    name: str
    size: Size


class AnimalPatch(BaseModel):
    """Fields left out are kept; `nickname: null` removes the nickname."""

    name: Optional[str] = None
    nickname: Optional[str] = None


class Person(BaseModel):
    name: str
    email: Optional[str] = None


class AdoptionStatus(str, Enum):
    pending = "pending"
    done = "done"


class Adoption(BaseModel):
    id: int
    animal: Animal
    adopter: Person
    at: datetime
    status: AdoptionStatus


class Stats(BaseModel):
    counts: dict[str, int]
    oldest: Optional[Animal] = None
    updated_at: datetime
    notes: Optional[list[str]] = None


class Problem(BaseModel):
    detail: str


NOT_FOUND = {404: {"model": Problem, "description": "No such animal."}}

ANIMALS: dict[int, Union[Cat, Dog]] = {
    1: Cat(
        id=1,
        name="Mia",
        indoor=True,
        microchip=985112,
        vaccinations=[Vaccination(name="rabies", on=date(2026, 3, 1))],
    ),
    2: Dog(id=2, name="Rex", size=Size.large, nickname="Rexy", good_with={"cats": False}),
    3: Cat(id=3, name="Tom", indoor=False, microchip="FR-250-26"),
}
UPDATED = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)


@app.get("/animals", operation_id="list_animals", tags=["animals"])
def list_animals(
    species: Optional[Species] = None,
    tags: Annotated[list[str], Query()] = [],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[Animal]:
    """Every animal, or those of one species; `tags` are accepted and ignored."""
    found = [a for a in ANIMALS.values() if species is None or a.kind == species.value]
    return found[:limit]


@app.get("/animals/{animal_id}", operation_id="get_animal", tags=["animals"], responses=NOT_FOUND)
def get_animal(animal_id: int) -> Animal:
    if animal_id not in ANIMALS:
        raise HTTPException(status_code=404, detail=f"no animal {animal_id}")
    return ANIMALS[animal_id]


@app.post("/animals", operation_id="add_animal", tags=["animals"], status_code=201)
def add_animal(animal: Annotated[Union[NewCat, NewDog], Field(discriminator="kind")]) -> Animal:
    """Answers the animal it would add (the shelter's data never changes)."""
    if isinstance(animal, NewCat):
        return Cat(id=100, name=animal.name, indoor=animal.indoor)
    return Dog(id=100, name=animal.name, size=animal.size)


@app.patch("/animals/{animal_id}", operation_id="update_animal", tags=["animals"], responses=NOT_FOUND)
def update_animal(animal_id: int, patch: AnimalPatch) -> Animal:
    if animal_id not in ANIMALS:
        raise HTTPException(status_code=404, detail=f"no animal {animal_id}")
    changes = patch.model_dump(exclude_unset=True)
    return ANIMALS[animal_id].model_copy(update=changes)


@app.get("/adoptions/{adoption_id}", operation_id="get_adoption", tags=["adoptions"])
def get_adoption(adoption_id: int) -> Adoption:
    return Adoption(
        id=adoption_id,
        animal=ANIMALS[2],
        adopter=Person(name="Ann"),
        at=datetime(2026, 10, 1, 14, 0, tzinfo=timezone.utc),
        status=AdoptionStatus.done,
    )


class AdoptionCompleted(BaseModel):
    type: Literal["adoption.completed"]
    adoption: Adoption


class AnimalArrived(BaseModel):
    type: Literal["animal.arrived"]
    animal: Animal


@app.webhooks.post("adoption-completed", operation_id="adoption_completed")
def adoption_completed(event: AdoptionCompleted) -> None:
    """An adoption was completed."""


@app.webhooks.post("animal-arrived", operation_id="animal_arrived")
def animal_arrived(event: AnimalArrived) -> None:
    """An animal arrived at the shelter."""


class Subscription(BaseModel):
    url: str
    secret: str


def deliver(url: str, secret: str, msg_id: str, event: BaseModel) -> int:
    """POSTs `event` to `url`, signed with Standard Webhooks' v1 scheme; the status answered."""
    body = event.model_dump_json().encode()
    key = base64.b64decode(secret.removeprefix("whsec_"))
    stamp = str(int(time.time()))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@app.post("/subscriptions", operation_id="subscribe", tags=["events"])
def subscribe(subscription: Subscription) -> list[int]:
    """Sends both events to the subscription's URL at once; the statuses it answered."""
    adoption = get_adoption(1)
    events = [
        ("msg_1", AdoptionCompleted(type="adoption.completed", adoption=adoption)),
        ("msg_2", AnimalArrived(type="animal.arrived", animal=ANIMALS[1])),
    ]
    return [deliver(subscription.url, subscription.secret, i, e) for i, e in events]


@app.get("/stats", operation_id="get_stats", tags=["stats"])
def get_stats() -> Stats:
    counts: dict[str, int] = {}
    for a in ANIMALS.values():
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return Stats(counts=counts, oldest=ANIMALS[1], updated_at=UPDATED)


class Upload(BaseModel):
    """What the shelter received in an upload: each file's name, type and size."""

    caption: str
    files: list[str]
    content_types: list[str]
    sizes: list[int]
    tags: list[str]


@app.post("/animals/{animal_id}/photos", operation_id="upload_photos", tags=["photos"])
async def upload_photos(
    animal_id: int,
    photo: UploadFile,
    caption: Annotated[str, Form()],
    extras: Annotated[list[UploadFile], File()] = [],
    tags: Annotated[list[str], Form()] = [],
) -> Upload:
    files = [photo, *extras]
    sizes = [len(await f.read()) for f in files]
    return Upload(
        caption=caption,
        files=[f.filename or "" for f in files],
        content_types=[f.content_type or "" for f in files],
        sizes=sizes,
        tags=tags,
    )


class Application(BaseModel):
    name: str
    email: Optional[str]
    animals: list[int]


@app.post("/adoptions/apply", operation_id="apply", tags=["adoptions"])
def apply(
    name: Annotated[str, Form()],
    animals: Annotated[list[int], Form()],
    email: Annotated[Optional[str], Form()] = None,
) -> Application:
    """A form post: answers what it read."""
    return Application(name=name, email=email, animals=animals)


PHOTO = bytes(range(256)) * 64


@app.get(
    "/animals/{animal_id}/photo",
    operation_id="get_photo",
    tags=["photos"],
    response_class=Response,
    responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}},
)
def get_photo(animal_id: int) -> Response:
    """The animal's photo: 16 KiB of bytes."""
    return Response(content=PHOTO, media_type="image/png")


@app.get(
    "/animals/{animal_id}/story",
    operation_id="get_story",
    tags=["animals"],
    response_class=PlainTextResponse,
)
def get_story(animal_id: int) -> str:
    return f"Animal {animal_id} came to the shelter in spring."


class NotesPatch(BaseModel):
    """A JSON Merge Patch of an animal's notes: `null` removes a note."""

    food: Optional[str] = None
    vet: Optional[str] = None


@app.patch("/animals/{animal_id}/notes", operation_id="patch_notes", tags=["animals"])
def patch_notes(
    animal_id: int,
    patch: Annotated[NotesPatch, Body(media_type="application/merge-patch+json")],
) -> dict[str, Optional[str]]:
    notes: dict[str, Optional[str]] = {"food": "fish", "vet": "Dr. Who"}
    notes.update(patch.model_dump(exclude_unset=True))
    return notes


class Visit(BaseModel):
    visitor: Optional[str]
    visits: int


@app.get("/visits", operation_id="get_visits", tags=["visits"])
def get_visits(visitor: Annotated[Optional[str], Cookie()] = None) -> Visit:
    """Reads the `visitor` cookie."""
    return Visit(visitor=visitor, visits=3 if visitor else 0)


basic = HTTPBasic()
staff_key = APIKeyHeader(name="X-Staff-Key")


@app.get("/staff/me", operation_id="staff_me", tags=["staff"])
def staff_me(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> dict[str, str]:
    """HTTP basic: user `keeper`, password `hunter2`."""
    good = secrets.compare_digest(credentials.username, "keeper") and secrets.compare_digest(
        credentials.password, "hunter2"
    )
    if not good:
        raise HTTPException(status_code=401, detail="wrong credentials")
    return {"username": credentials.username}


@app.get("/staff/reports", operation_id="staff_reports", tags=["staff"])
def staff_reports(key: Annotated[str, Depends(staff_key)]) -> list[str]:
    """An API key in `X-Staff-Key`: `k-1`."""
    if key != "k-1":
        raise HTTPException(status_code=403, detail="wrong key")
    return ["intake", "adoptions"]


# An animal of either kind, as FastAPI writes the `Animal` union: the schema of one event's data
# and of one JSON line. (FastAPI's own streams, `EventSourceResponse` and generator routes, write
# OpenAPI 3.2's `itemSchema` into a 3.1 document, which openapi-spec-validator refuses; these
# routes declare their streams the way OpenAI's 3.1 description does.)
ANIMAL_SCHEMA = {
    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
    "discriminator": {
        "propertyName": "kind",
        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
    },
}


def sse(data: str, event: Optional[str] = None, id: Optional[str] = None) -> str:
    head = (f"event: {event}\n" if event else "") + (f"id: {id}\n" if id else "")
    return f"{head}data: {data}\n\n"


def streams(media_type: str, description: str) -> dict:
    """The arguments of a route that streams animals in `media_type`."""
    content = {media_type: {"schema": ANIMAL_SCHEMA}}
    return {
        "tags": ["streams"],
        "response_class": StreamingResponse,
        "responses": {200: {"description": description, "content": content}},
    }


@app.get(
    "/arrivals",
    operation_id="watch_arrivals",
    **streams("text/event-stream", "One event per animal."),
)
async def watch_arrivals(
    request: Request, count: int = 3, pause_ms: int = 0, drop_after: int = 0
) -> StreamingResponse:
    """Animals as they arrive (`arrival`) and leave (`adopted`), as server-sent events, each
    with an id, after a keep-alive comment, `pause_ms` apart; `[DONE]` ends them. With
    `drop_after`, the connection breaks after that many events, and a request with
    `Last-Event-ID` goes on after that id."""
    animals = list(ANIMALS.values())
    last_id = request.headers.get("last-event-id")
    start = int(last_id) if last_id else 0

    async def events():
        yield ": keep-alive\n\n"
        for i in range(start, count):
            if drop_after and last_id is None and i == drop_after:
                raise ConnectionAbortedError("the connection breaks here, on purpose")
            if pause_ms and i > start:
                await asyncio.sleep(pause_ms / 1000)
            event = "adopted" if i % 3 == 2 else "arrival"
            yield sse(animals[i % len(animals)].model_dump_json(), event, str(i + 1))
        yield sse("[DONE]")

    return StreamingResponse(events(), media_type="text/event-stream")


class Question(BaseModel):
    text: str
    stream: bool = False


class Answer(BaseModel):
    text: str


ANSWER_CHUNK = {
    "type": "object",
    "required": ["delta", "index"],
    "properties": {"delta": {"type": "string"}, "index": {"type": "integer"}},
}


@app.post(
    "/assistant",
    operation_id="ask_assistant",
    tags=["streams"],
    responses={
        200: {
            "description": "The answer whole, or its pieces as events when `stream` is true.",
            "content": {"text/event-stream": {"schema": ANSWER_CHUNK}},
        }
    },
)
async def ask_assistant(question: Question) -> Answer:
    """Answers a question whole, or word by word as events when the question says `stream`."""
    words = ["Cats", "sleep", "a", "lot."]
    if not question.stream:
        return JSONResponse({"text": " ".join(words)})

    async def chunks():
        for i, word in enumerate(words):
            yield f"data: {json.dumps({'delta': word, 'index': i})}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(chunks(), media_type="text/event-stream")


@app.get(
    "/export/animals",
    operation_id="export_animals",
    **streams("application/x-ndjson", "One animal per line."),
)
async def export_animals() -> StreamingResponse:
    """Every animal, one per JSON line."""

    async def lines():
        for animal in ANIMALS.values():
            yield animal.model_dump_json() + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


class Volunteer(BaseModel):
    id: str
    name: str


VOLUNTEERS = [
    Volunteer(id=f"v{i}", name=name)
    for i, name in enumerate(["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gus"], start=1)
]
PAGE = 3
REQUESTS: dict[str, int] = {}


def counted(route: str) -> None:
    REQUESTS[route] = REQUESTS.get(route, 0) + 1


def slice_of(page: int, per_page: int) -> list[Volunteer]:
    start = (page - 1) * per_page
    return VOLUNTEERS[start : start + per_page]


@app.get(
    "/volunteers/linked",
    operation_id="list_volunteers_linked",
    tags=["volunteers"],
    responses={
        200: {
            "description": "A page, and the next one's URL in the `Link` header.",
            "headers": {"Link": {"description": "RFC 8288 links", "schema": {"type": "string"}}},
        }
    },
)
def list_volunteers_linked(
    request: Request,
    response: Response,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1)] = PAGE,
) -> list[Volunteer]:
    """Volunteers by page number, the next page linked as GitHub links it."""
    counted("linked")
    if page * per_page < len(VOLUNTEERS):
        url = request.url.include_query_params(page=page + 1, per_page=per_page)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return slice_of(page, per_page)


class VolunteerList(BaseModel):
    data: list[Volunteer]
    has_more: bool


@app.get("/volunteers/after", operation_id="list_volunteers_after", tags=["volunteers"])
def list_volunteers_after(
    starting_after: Optional[str] = None, limit: Annotated[int, Query(ge=1)] = PAGE
) -> VolunteerList:
    """Volunteers after the one `starting_after` names, while `has_more` (Stripe's way)."""
    counted("after")
    ids = [v.id for v in VOLUNTEERS]
    start = ids.index(starting_after) + 1 if starting_after in ids else 0
    data = VOLUNTEERS[start : start + limit]
    return VolunteerList(data=data, has_more=start + limit < len(VOLUNTEERS))


class VolunteerTokenPage(BaseModel):
    volunteers: list[Volunteer]
    next_page_token: Optional[str] = None


@app.get("/volunteers/tokens", operation_id="list_volunteers_tokens", tags=["volunteers"])
def list_volunteers_tokens(page_token: Optional[str] = None) -> VolunteerTokenPage:
    """Volunteers by an opaque page token (Google's way)."""
    counted("tokens")
    page = int(page_token.removeprefix("p")) if page_token else 1
    more = page * PAGE < len(VOLUNTEERS)
    return VolunteerTokenPage(
        volunteers=slice_of(page, PAGE), next_page_token=f"p{page + 1}" if more else None
    )


class VolunteerLinkedPage(BaseModel):
    count: int
    next: Optional[str] = Field(None, description="The URL of the next page.")
    results: list[Volunteer]


@app.get("/volunteers/next", operation_id="list_volunteers_next", tags=["volunteers"])
def list_volunteers_next(
    request: Request, page: Annotated[int, Query(ge=1)] = 1
) -> VolunteerLinkedPage:
    """Volunteers with the next page's URL in the body (Django's way)."""
    counted("next")
    more = page * PAGE < len(VOLUNTEERS)
    url = str(request.url.include_query_params(page=page + 1)) if more else None
    return VolunteerLinkedPage(count=len(VOLUNTEERS), next=url, results=slice_of(page, PAGE))


class VolunteerOffsetPage(BaseModel):
    items: list[Volunteer]
    total: int


@app.get("/volunteers/offset", operation_id="list_volunteers_offset", tags=["volunteers"])
def list_volunteers_offset(
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1)] = PAGE
) -> VolunteerOffsetPage:
    """Volunteers from an offset, with the total."""
    counted("offset")
    return VolunteerOffsetPage(items=VOLUNTEERS[offset : offset + limit], total=len(VOLUNTEERS))


class VolunteerNumberedPage(BaseModel):
    volunteers: list[Volunteer]
    total_pages: int


@app.get("/volunteers/numbered", operation_id="list_volunteers_numbered", tags=["volunteers"])
def list_volunteers_numbered(page: Annotated[int, Query(ge=1)] = 1) -> VolunteerNumberedPage:
    """Volunteers by page number, with the page count."""
    counted("numbered")
    pages = -(-len(VOLUNTEERS) // PAGE)
    return VolunteerNumberedPage(volunteers=slice_of(page, PAGE), total_pages=pages)


@app.get("/volunteers/requests", operation_id="volunteer_requests", tags=["volunteers"])
def volunteer_requests() -> dict[str, int]:
    """How many requests each list of volunteers has had."""
    return REQUESTS


if __name__ == "__main__":
    json.dump(app.openapi(), sys.stdout, indent=2)
    sys.stdout.write("\n")
