"""Who may move a standing rule (常态化机制), and its guards.

Only the office leader (政务服务办分管领导) promotes, amends, puts in force and retires; every
coordinator reads them and applies one at triage."""

from django.utils.translation import gettext_lazy as _

from config import timesource


def is_office_leader(version, user) -> bool:
    """The office leader: a coordinator with the leader's role."""
    return user.is_coordinator and user.is_leader


def has_items(version) -> bool:
    """A rule without items would assign nothing."""
    return version.items.exists()


has_items.message = _("常态化机制至少要有一项任务。")


def effective_not_past(version) -> bool:
    """A rule takes effect from today or a later day: it is never put in force backdated, so a
    case handled yesterday was handled under what was in force yesterday."""
    return version.effective_on >= timesource.today()


effective_not_past.message = _("生效日期不能早于今天。")


def effective_after_previous(version) -> bool:
    """A new version takes effect after the one it supersedes, so on any day exactly one is
    in force."""
    return not version.rule.versions.filter(
        status="in_force", effective_on__gte=version.effective_on
    ).exists()


effective_after_previous.message = _("新版本的生效日期须晚于现行版本的生效日期。")
