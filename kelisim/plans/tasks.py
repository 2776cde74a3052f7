from django_tasks import task


@task()
def refresh_indicator_progress() -> int:
    """Recompute the items whose progress follows their indicators; run daily, so that a new year's targets
    take over on their own (see kelisim.plans.progress)."""
    from kelisim.plans import services

    return services.refresh_indicator_progress()
