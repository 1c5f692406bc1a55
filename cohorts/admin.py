"""Admin of the cohorts app; each part lives in its own module.

Cohorts sits above calls and applications, so it adds its actions to their admins itself (running
the shortlist and sending offers on calls, exporting selected applications): they never import it.
"""

from applications.models import Application
from calls.models import Call
from cohorts.admin_cockpit import cockpit_link, cockpit_urls
from cohorts.admin_exports import APPLICATION_EXPORT_ACTIONS
from cohorts.admin_offers import CALL_OFFER_ACTIONS
from cohorts.shortlist.admin import run_shortlist_action
from cohorts.shortlist.final_admin import run_final_action
from core.admin_actions import extend_admin, extend_admin_urls, extend_list_display

extend_admin(Call, run_shortlist_action, run_final_action, *CALL_OFFER_ACTIONS)
extend_admin(Application, *APPLICATION_EXPORT_ACTIONS)
extend_admin_urls(Call, cockpit_urls)
extend_list_display(Call, cockpit_link)
