from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.comments.visitors import address_hash, browser_hash, remember_browser
from kelisim.core import ratelimit
from kelisim.core.files import file_response
from kelisim.core.forms import apply_validation_error
from kelisim.core.i18n import active_language
from kelisim.core.pagecache import public_page
from kelisim.publications import rules, selectors, services
from kelisim.publications.forms import ArticleFilterForm, ArticleForm, ReactionForm, StatusForm
from kelisim.publications.models import Article
from kelisim.publications.sitemaps import SITEMAPS

REACTIONS_LIMIT = ratelimit.Limit("reactions", 10, 60)


@public_page("publications")
def article_list(request):
    filters = ArticleFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    language = criteria.get("language") or active_language()
    articles = selectors.public_articles(
        language="" if language == "all" else language,
        q=criteria.get("q", ""),
        tag=criteria["tag"].slug if criteria.get("tag") else "",
        strand=criteria["strand"].code if criteria.get("strand") else "",
    )
    page = Paginator(articles, selectors.LIST_PAGE_SIZE).get_page(request.GET.get("page") or 1)
    return render(request, "publications/list.html", {"filters": filters, "page": page})


def _reaction_context(request, article) -> dict:
    mine = selectors.own_reaction(
        article,
        user=request.user,
        browser="" if request.user.is_authenticated else browser_hash(request),
    )
    return {"article": article, "my_reaction": mine, "counts": selectors.reaction_counts(article) if mine else None}


@public_page("publications", "comments", "accounts")
def article_detail(request, slug: str):
    article = selectors.article_for_page(slug, include_unpublished=rules.can_preview_articles(request.user))
    if article is None:
        raise Http404
    context = {
        "article": article,
        "translations": selectors.translations_of(article),
        "preview": not article.is_readable,
        "archived": article.status == Article.Status.ARCHIVED,
        **_reaction_context(request, article),
    }
    return render(request, "publications/detail.html", context)


@require_GET
def cover(request, slug: str):
    """The cover image, inline (only when its bytes are a raster image) for whoever may read the article."""
    article = selectors.article_for_page(slug, include_unpublished=rules.can_preview_articles(request.user))
    if article is None or not article.cover_image:
        raise Http404
    return file_response(article.cover_image, fallback="cover", inline_image=True, public=article.is_readable)


@require_POST
def react(request, slug: str):
    article = selectors.article_for_page(slug)
    if article is None or not article.is_public:
        raise Http404
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
    else:
        who = f"user:{request.user.pk}" if request.user.is_authenticated else f"address:{address_hash(request)}"
        if ratelimit.count(REACTIONS_LIMIT, who):
            messages.error(request, _("Too many answers in a minute. Please wait and try again."))
        else:
            services.react(
                article=article,
                value=form.cleaned_data["value"],
                user=request.user,
                browser="" if request.user.is_authenticated else browser_hash(request),
            )
            if not request.htmx:
                messages.success(request, _("Thank you for your answer."))
    if request.htmx:
        response = render(request, "publications/includes/reactions.html", _reaction_context(request, article))
    else:
        response = HttpResponseRedirect(f"{article.get_absolute_url()}#reactions")
    return remember_browser(request, response)


def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)


# --- officers --------------------------------------------------------------------------------------


@officer_required
def manage(request):
    articles = Article.objects.select_related("strand").order_by("-updated_at")
    status = request.GET.get("status", "")
    if status in Article.Status.values:
        articles = articles.filter(status=status)
    page = Paginator(articles, 30).get_page(request.GET.get("page") or 1)
    return render(
        request, "publications/manage.html", {"page": page, "statuses": Article.Status.choices, "status": status}
    )


def _save_article(request, form, *, article=None, translation_of=None):
    data = dict(form.cleaned_data)
    relations = {name: data.pop(name) for name in ("tags", "organisations", "meetings", "plan_items")}
    if data.get("cover_image") is None:
        data.pop("cover_image")  # no new file: keep the one there is
    elif data.get("cover_image") is False:
        data["cover_image"] = ""
    try:
        if article is None:
            return services.create_article(actor=request.user, translation_of=translation_of, **relations, **data)
        return services.update_article(actor=request.user, article=article, **relations, **data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
@officer_required
def create(request):
    translation_of = None
    if request.GET.get("translation_of", "").isdigit():
        translation_of = get_object_or_404(Article, pk=request.GET["translation_of"])
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        article = _save_article(request, form, translation_of=translation_of)
        if article is not None:
            messages.success(request, _("Draft saved."))
            return redirect("publications:edit", pk=article.pk)
    return render(
        request,
        "publications/edit.html",
        {"form": form, "article": None, "translation_of": translation_of},
        status=400 if form.errors else 200,
    )


def _allowed_statuses(article: Article) -> list[tuple[str, str]]:
    """The statuses the article may move to next, in the workflow's order."""
    targets = Article.WORKFLOW.targets(article.status)
    return [(status, label) for status, label in Article.Status.choices if status in targets]


@require_http_methods(["GET", "POST"])
@officer_required
def edit(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        saved = _save_article(request, form, article=article)
        if saved is not None:
            messages.success(request, _("Article saved."))
            return redirect("publications:edit", pk=article.pk)
    article.refresh_from_db()
    return render(
        request,
        "publications/edit.html",
        {
            "form": form,
            "article": article,
            "status_form": StatusForm(),
            "allowed_statuses": _allowed_statuses(article),
            "history": article.history.select_related("history_user").order_by("-history_date")[:20],
            "translations": Article.objects.filter(translation_group=article.translation_group).exclude(pk=article.pk),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@officer_required
def change_status(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.transition_article(
                actor=request.user,
                article=article,
                to=form.cleaned_data["status"],
                publish_at=form.cleaned_data["publish_at"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("publications:edit", pk=article.pk)
