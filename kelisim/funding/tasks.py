from django_tasks import task


@task()
def publish_releases(contract_ids: list[int]) -> int:
    """Publish a new OCDS release of each contract whose public content changed (safe to run twice:
    unchanged content publishes nothing)."""
    from kelisim.funding.services import publish_releases as publish

    return publish(contract_ids)
