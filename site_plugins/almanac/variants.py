"""One capability of Almanac each, for a site that wants only that: ``almanac/releases``,
``almanac/contributors``… They are the ``almanac`` plugin with a different default for ``sections``
(every other option works the same), and several of them in one site share one history walk."""

from __future__ import annotations

from site_plugins.almanac.plugin import AlmanacPlugin


class ReleasesPlugin(AlmanacPlugin):
    """Release pages, the releases index and the Atom and JSON feeds."""

    default_sections = ("releases",)


class ContributorsPlugin(AlmanacPlugin):
    """Contributor pages, the contributors index and the community-health page."""

    default_sections = ("contributors",)


class ModelCardPlugin(AlmanacPlugin):
    """The overview and the model card (one per model of the repository)."""

    default_sections = ("overview", "modelcard")


class LicencesPlugin(AlmanacPlugin):
    """The licence page: what each licence file holds, what it asks, and its timeline."""

    default_sections = ("licences",)


class ResourcesPlugin(AlmanacPlugin):
    """The learning pages: how to cite, recommended resources, papers."""

    default_sections = ("resources",)


class OnboardingPlugin(AlmanacPlugin):
    """The contributing guide measured from the history, and the tools page."""

    default_sections = ("onboarding",)


class DiscussionsPlugin(AlmanacPlugin):
    """The discussion digest, from `almanac sync`'s cache and the repository's proposal files."""

    default_sections = ("discussions",)
