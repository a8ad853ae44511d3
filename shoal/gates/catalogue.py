"""Messages of shoal/core/errors.py added by issue 9 (413 and 503): listed here so that this app's
catalogue (shoal/gates/locale) carries their translations; the project catalogue is not re-made."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("The upload is too large."),
    gettext_noop("The service is briefly unavailable; please try again in a moment."),
]
