import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kelisim.settings")
application = get_wsgi_application()

# The objects made while loading Kelisim (modules, models, URL patterns, catalogues: about 180,000) live as long
# as the process. The collector's oldest generation walked every one of them now and then, pausing whichever
# page was being served by about 90 ms (docs/performance.md, the header's search box). Frozen, they are left
# out of every collection; what pages create is still collected.
gc.freeze()
