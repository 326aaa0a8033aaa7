import pytest
from sqlalchemy.orm import Session

from app.common.errors import (
    NotFoundError,
    PermissionDeniedError,
    ServiceUnavailableError,
    ValidationError,
)
from app.models.job import Job
from app.models.user import User
from app.services import job_service
from tests.factories import StoreFactory

CSV = b"sku,name,price\nA-1,Spade,1\n"


class FakeQueue:
    """A JobQueue that records what it was given, or refuses like a broker that is down."""

    def __init__(self, *, is_down: bool = False) -> None:
        self.is_down = is_down
        self.queued: list[tuple[int, str]] = []

    def enqueue_job(self, job_id: int, kind: str) -> None:
        if self.is_down:
            raise ServiceUnavailableError("The task queue does not answer.", 30)
        self.queued.append((job_id, kind))


def _products(skip_invalid: bool = False) -> job_service.ImportRequest:
    return job_service.ImportRequest("products", "p.csv", CSV, skip_invalid=skip_invalid)


def test_a_submitted_import_is_committed_queued_then_handed_to_the_queue(
    session: Session, admin: User
) -> None:
    queue = FakeQueue()

    job = job_service.submit_import(session, admin, _products(), queue)

    assert queue.queued == [(job.id, "import_products")]
    assert (job.status, job.created_by_id, job.params["skip_invalid"]) == (
        "queued",
        admin.id,
        False,
    )


def test_a_job_the_queue_cannot_take_is_failed_at_once_and_the_error_raised(
    session: Session, admin: User
) -> None:
    with pytest.raises(ServiceUnavailableError):
        job_service.submit_import(session, admin, _products(), FakeQueue(is_down=True))

    job = session.query(Job).one()
    assert job.status == "failed"
    assert job.errors == [{"line": None, "message": job_service.QUEUE_DOWN_MESSAGE}]


def test_a_manager_may_not_import(session: Session, manager: User) -> None:
    with pytest.raises(PermissionDeniedError):
        job_service.submit_import(session, manager, _products(), FakeQueue())

    assert session.query(Job).count() == 0


def test_a_manager_may_not_export(session: Session, manager: User) -> None:
    with pytest.raises(PermissionDeniedError):
        job_service.submit_export(
            session, manager, job_service.ExportRequest("products"), FakeQueue()
        )


@pytest.mark.parametrize(
    ("asked", "errors"),
    [
        (("stock", None), {"store_id": ["Field required for stock."]}),
        (("products", 1), {"store_id": ["Only stock belongs to a store."]}),
        (("orders", None), {"kind": ["Give `products` or `stock`."]}),
    ],
)
def test_an_export_needs_a_known_target_and_a_store_only_for_stock(
    session: Session, admin: User, asked: tuple[str, int | None], errors: dict[str, list[str]]
) -> None:
    StoreFactory()

    with pytest.raises(ValidationError) as caught:
        job_service.create_export_job(session, admin, job_service.ExportRequest(*asked))

    assert caught.value.errors == errors


def test_an_export_of_an_unknown_store_is_not_found(session: Session, admin: User) -> None:
    with pytest.raises(NotFoundError):
        job_service.create_export_job(session, admin, job_service.ExportRequest("stock", 999))


def test_a_job_is_visible_to_its_creator(session: Session, admin: User) -> None:
    job = job_service.create_import_job(session, admin, _products())

    assert job_service.get_job(session, admin, job.id).id == job.id


def test_a_job_is_visible_to_any_admin(session: Session, admin: User) -> None:
    job = job_service.create_import_job(session, None, _products())

    assert job_service.get_job(session, admin, job.id).id == job.id


def test_someone_elses_job_is_not_found(session: Session, manager: User) -> None:
    job = job_service.create_import_job(session, None, _products())

    with pytest.raises(NotFoundError):
        job_service.get_job(session, manager, job.id)


def test_an_import_job_has_no_file_to_download(session: Session, admin: User) -> None:
    job = job_service.create_import_job(session, admin, _products())

    with pytest.raises(NotFoundError):
        job_service.get_output_file(session, admin, job.id)


def test_deleting_the_creator_keeps_the_job(session: Session, admin: User) -> None:
    job = job_service.create_import_job(session, admin, _products())
    session.delete(admin)
    session.commit()

    session.expire_all()
    assert session.get(Job, job.id).created_by_id is None  # type: ignore[union-attr]
