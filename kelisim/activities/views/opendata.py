"""Open data of the activities app: contracts and their results as IATI 2.03 activities."""

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from kelisim.activities import iati


@require_GET
def iati_activities(request):
    response = StreamingHttpResponse(iati.document_stream(), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kelisim-iati-activities.xml"'
    return response
