"""Hold every text residents read, in Dutch and English, and render it safely as Telegram HTML."""

from __future__ import annotations

import html
import string
from enum import StrEnum

from reports.models import Language


class Html(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


class T(StrEnum):
    """The key of one text in the catalogue."""

    WELCOME = "welcome"
    HELP = "help"
    PRIVACY = "privacy"
    BTN_NEW_REPORT = "btn_new_report"
    BTN_MY_REPORTS = "btn_my_reports"
    LANGUAGE_PROMPT = "language_prompt"
    LANGUAGE_SET = "language_set"
    ASK_CATEGORY = "ask_category"
    ASK_LOCATION = "ask_location"
    BTN_SHARE_LOCATION = "btn_share_location"
    BTN_CHOOSE_WIJK = "btn_choose_wijk"
    ASK_WIJK = "ask_wijk"
    ASK_BUURT = "ask_buurt"
    BTN_BACK = "btn_back"
    LOCATION_SET = "location_set"
    LOCATION_SET_APPROX = "location_set_approx"
    LOCATION_OUTSIDE = "location_outside"
    LOCATION_NOT_FOUND = "location_not_found"
    LOCATION_AMBIGUOUS = "location_ambiguous"
    GEOCODER_UNAVAILABLE = "geocoder_unavailable"
    ASK_DESCRIPTION = "ask_description"
    DESCRIPTION_TOO_SHORT = "description_too_short"
    DESCRIPTION_TOO_LONG = "description_too_long"
    ASK_PHOTOS = "ask_photos"
    PHOTO_RECEIVED = "photo_received"
    PHOTOS_FULL = "photos_full"
    CAPTION_ADDED = "caption_added"
    CAPTION_TOO_LONG = "caption_too_long"
    BTN_NO_PHOTOS = "btn_no_photos"
    BTN_PHOTOS_DONE = "btn_photos_done"
    ASK_TIMING = "ask_timing"
    TIMING_NOW = "timing_now"
    TIMING_EARLIER = "timing_earlier"
    TIMING_RECURRING = "timing_recurring"
    ASK_CONTACT = "ask_contact"
    BTN_CONTACT_YES = "btn_contact_yes"
    BTN_CONTACT_NO = "btn_contact_no"
    CONTACT_YES = "contact_yes"
    CONTACT_NO = "contact_no"
    SUMMARY = "summary"
    SUMMARY_POINT = "summary_point"
    SUMMARY_AREA = "summary_area"
    BTN_CONFIRM = "btn_confirm"
    BTN_CHANGE = "btn_change"
    BTN_CANCEL = "btn_cancel"
    ASK_CHANGE = "ask_change"
    FIELD_CATEGORY = "field_category"
    FIELD_LOCATION = "field_location"
    FIELD_DESCRIPTION = "field_description"
    FIELD_PHOTOS = "field_photos"
    FIELD_TIMING = "field_timing"
    FIELD_CONTACT = "field_contact"
    CHOSEN = "chosen"
    CONFIRMED = "confirmed"
    SAVE_FAILED = "save_failed"
    CANCELLED = "cancelled"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    RESUMING = "resuming"
    DRAFT_EXPIRED = "draft_expired"
    URGENT = "urgent"
    URGENT_CONTACT_NAME = "urgent_contact_name"
    MY_REPORTS_HEADER = "my_reports_header"
    MY_REPORTS_ITEM = "my_reports_item"
    MY_REPORTS_EMPTY = "my_reports_empty"
    STATUS_NEW = "status_new"
    STATUS_ROUTED = "status_routed"
    STATUS_IN_PROGRESS = "status_in_progress"
    STATUS_WAITING_FOR_RESIDENT = "status_waiting_for_resident"
    STATUS_RESOLVED = "status_resolved"
    STATUS_REJECTED = "status_rejected"
    STATUS_REOPENED = "status_reopened"
    STATUS_CANCELLED = "status_cancelled"
    EXPECT_CATEGORY = "expect_category"
    EXPECT_LOCATION = "expect_location"
    EXPECT_DESCRIPTION = "expect_description"
    EXPECT_PHOTOS = "expect_photos"
    EXPECT_TIMING = "expect_timing"
    EXPECT_CONTACT = "expect_contact"
    EXPECT_CONFIRM = "expect_confirm"
    NO_DRAFT = "no_draft"
    UNSUPPORTED_MESSAGE = "unsupported_message"
    EDITED_MESSAGE = "edited_message"
    UNKNOWN_COMMAND = "unknown_command"
    STALE_BUTTON = "stale_button"
    UNKNOWN_BUTTON = "unknown_button"
    GROUP_USE_PRIVATE = "group_use_private"
    INTERNAL_ERROR = "internal_error"
    FORGET_PROMPT = "forget_prompt"
    BTN_FORGET_YES = "btn_forget_yes"
    BTN_FORGET_NO = "btn_forget_no"
    FORGET_DONE = "forget_done"
    FORGET_KEPT = "forget_kept"
    CMD_START = "cmd_start"
    CMD_REPORT = "cmd_report"
    CMD_MY_REPORTS = "cmd_my_reports"
    CMD_CANCEL = "cmd_cancel"
    CMD_HELP = "cmd_help"
    CMD_LANGUAGE = "cmd_language"
    CMD_PRIVACY = "cmd_privacy"
    CMD_FORGET = "cmd_forget"
    CMD_STOP = "cmd_stop"

    P_NOTIFICATION = "p_notification"
    P_BADGE_INFO = "p_badge_info"
    P_BADGE_UNLINKED = "p_badge_unlinked"
    P_BADGE_FORWARDED = "p_badge_forwarded"
    P_BADGE_REJECTED = "p_badge_rejected"
    P_PLACE_POINT = "p_place_point"
    P_PLACE_AREA = "p_place_area"
    P_REPORTER_CONTACT = "p_reporter_contact"
    P_REPORTER_ANONYMOUS = "p_reporter_anonymous"
    P_STATUS_ROUTED = "p_status_routed"
    P_STATUS_CLAIMED = "p_status_claimed"
    P_STATUS_WAITING = "p_status_waiting"
    P_STATUS_RESOLVED = "p_status_resolved"
    P_STATUS_FORWARDED = "p_status_forwarded"
    P_STATUS_REJECTED = "p_status_rejected"
    P_STATUS_CANCELLED = "p_status_cancelled"
    P_STATUS_REOPENED = "p_status_reopened"
    P_BTN_CLAIM = "p_btn_claim"
    P_BTN_RESOLVE = "p_btn_resolve"
    P_BTN_FORWARD = "p_btn_forward"
    P_BTN_ASK = "p_btn_ask"
    P_BTN_NOT_OURS = "p_btn_not_ours"
    P_BTN_BACK = "p_btn_back"
    P_BTN_OWN_TEXT = "p_btn_own_text"
    P_PROMPT_RESOLVE = "p_prompt_resolve"
    P_PROMPT_REASON = "p_prompt_reason"
    P_PROMPT_ASK = "p_prompt_ask"
    P_PROMPT_NOT_OURS = "p_prompt_not_ours"
    P_ALERT_CLAIMED_BY = "p_alert_claimed_by"
    P_ALERT_NOT_HERE = "p_alert_not_here"
    P_ALERT_NOT_CASEWORKER = "p_alert_not_caseworker"
    P_ALERT_STALE = "p_alert_stale"
    P_ALERT_DONE = "p_alert_done"
    P_TEXT_TOO_LONG = "p_text_too_long"
    P_LINKED = "p_linked"
    P_LINK_USAGE = "p_link_usage"
    P_LINK_BAD_CODE = "p_link_bad_code"
    P_LINK_DISABLED = "p_link_disabled"
    P_LINK_PRIVATE = "p_link_private"
    P_UNLINKED = "p_unlinked"
    P_UNLINK_USAGE = "p_unlink_usage"
    P_UNLINK_NOT_ALLOWED = "p_unlink_not_allowed"
    P_NOTHING_LINKED = "p_nothing_linked"
    P_UNREACHABLE = "p_unreachable"
    R_CLAIMED = "r_claimed"
    R_FORWARDED = "r_forwarded"
    R_QUESTION = "r_question"
    R_RESOLVED = "r_resolved"
    R_ANSWER_RELAYED = "r_answer_relayed"
    R_FOLLOWUP_QUESTION = "r_followup_question"
    BTN_FOLLOWUP_ONGOING = "btn_followup_ongoing"
    BTN_FOLLOWUP_SOLVED = "btn_followup_solved"
    BTN_FOLLOWUP_MORE = "btn_followup_more"
    BTN_PROACTIVE_STOP = "btn_proactive_stop"
    R_FOLLOWUP_ONGOING = "r_followup_ongoing"
    R_FOLLOWUP_ASK_AGAIN = "r_followup_ask_again"
    R_FOLLOWUP_SOLVED = "r_followup_solved"
    R_FOLLOWUP_MORE = "r_followup_more"
    R_FOLLOWUP_ADDED = "r_followup_added"
    FOLLOWUP_STALE = "followup_stale"
    FOLLOWUP_CLOSED = "followup_closed"
    P_FOLLOWUP_ONGOING = "p_followup_ongoing"
    P_FOLLOWUP_SOLVED = "p_followup_solved"
    P_FOLLOWUP_ADDITION = "p_followup_addition"
    P_FOLLOWUP_ADDITION_PHOTO = "p_followup_addition_photo"
    STOP_DONE = "stop_done"
    STOP_ALREADY = "stop_already"
    START_RESUMED = "start_resumed"
    R_SURVEY_QUESTION = "r_survey_question"
    BTN_SURVEY_YES = "btn_survey_yes"
    BTN_SURVEY_NO = "btn_survey_no"
    R_SURVEY_REASON_GOOD = "r_survey_reason_good"
    R_SURVEY_REASON_BAD = "r_survey_reason_bad"
    R_SURVEY_UNSAFE = "r_survey_unsafe"
    BTN_UNSAFE_OFTEN = "btn_unsafe_often"
    BTN_UNSAFE_SOMETIMES = "btn_unsafe_sometimes"
    BTN_UNSAFE_NEVER = "btn_unsafe_never"
    R_SURVEY_COMMENT = "r_survey_comment"
    BTN_SURVEY_SKIP = "btn_survey_skip"
    R_SURVEY_COMMENT_TOO_LONG = "r_survey_comment_too_long"
    R_SURVEY_THANKS = "r_survey_thanks"
    R_SURVEY_THANKS_COMMENT = "r_survey_thanks_comment"
    R_SURVEY_REOPENED = "r_survey_reopened"
    SURVEY_EXPIRED = "survey_expired"
    SURVEY_STALE = "survey_stale"
    P_SURVEY_REOPENED = "p_survey_reopened"
    R_TIP = "r_tip"
    CMD_TIPS = "cmd_tips"
    TIPS_SUBSCRIBED = "tips_subscribed"
    TIPS_ASK_WIJK = "tips_ask_wijk"
    TIPS_UNSUBSCRIBED = "tips_unsubscribed"
    TIPS_NOT_SUBSCRIBED = "tips_not_subscribed"
    R_DIGEST = "r_digest"
    R_DIGEST_LINE = "r_digest_line"
    R_DIGEST_NONE = "r_digest_none"
    P_RELAYED_ANSWER = "p_relayed_answer"
    P_RELAYED_QUESTION_SENT = "p_relayed_question_sent"
    P_REMINDER = "p_reminder"
    P_ESCALATION = "p_escalation"
    P_AGE_DAYS = "p_age_days"
    P_AGE_HOURS = "p_age_hours"
    P_AGE_MINUTES = "p_age_minutes"
    P_COORDINATOR_ONLY = "p_coordinator_only"
    P_OPEN_HEADER = "p_open_header"
    P_OPEN_EMPTY = "p_open_empty"
    P_OPEN_PARTNER = "p_open_partner"
    P_OPEN_ITEM = "p_open_item"
    P_OPEN_MORE = "p_open_more"
    P_CASE_USAGE = "p_case_usage"
    P_CASE_UNKNOWN = "p_case_unknown"
    P_CASE_DETAILS = "p_case_details"
    P_CASE_NOBODY = "p_case_nobody"
    P_CASE_REPORTER_HIDDEN = "p_case_reporter_hidden"
    P_CASE_REPORTER_ERASED = "p_case_reporter_erased"
    P_CASE_HISTORY = "p_case_history"
    P_CASE_EVENT = "p_case_event"
    P_CASE_EVENT_DETAIL = "p_case_event_detail"
    P_CASE_MORE = "p_case_more"
    P_ACTOR_SYSTEM = "p_actor_system"
    P_ACTOR_RESIDENT = "p_actor_resident"
    P_ACTOR_CASEWORKER = "p_actor_caseworker"
    P_ACTOR_COORDINATOR = "p_actor_coordinator"
    P_EVENT_ROUTE = "p_event_route"
    P_EVENT_CLAIM = "p_event_claim"
    P_EVENT_FORWARD = "p_event_forward"
    P_EVENT_ASK_RESIDENT = "p_event_ask_resident"
    P_EVENT_RESIDENT_ANSWERED = "p_event_resident_answered"
    P_EVENT_QUESTION_EXPIRED = "p_event_question_expired"
    P_EVENT_RESOLVE = "p_event_resolve"
    P_EVENT_NOT_OURS = "p_event_not_ours"
    P_EVENT_REOPEN = "p_event_reopen"
    P_EVENT_CANCEL = "p_event_cancel"
    P_EVENT_REMINDER = "p_event_reminder"
    P_EVENT_ESCALATION = "p_event_escalation"
    P_EVENT_UNDELIVERABLE = "p_event_undeliverable"


_NL = Language.NL
_EN = Language.EN

CATALOGUE: dict[T, dict[Language, str]] = {
    T.WELCOME: {
        _NL: (
            "👋 <b>Welkom bij Meldbot {municipality}</b>\n\n"
            "Hier meldt u overlast en onveilige plekken in uw buurt, zoals jongerenoverlast, "
            "drugsoverlast, vandalisme of een donkere, onveilige plek. Uw melding gaat naar de "
            "partner die er iets aan kan doen: politie, handhaving, brandweer, woningcorporatie "
            "of een andere ketenpartner.\n\n"
            "🚨 <b>Niet voor noodgevallen.</b> Is er nu gevaar? Bel <b>112</b>.\n"
            "👮 Politie zonder spoed: 0900-8844.\n"
            "🕵️ Anoniem een misdaad melden: Meld Misdaad Anoniem, 0800-7000.\n\n"
            "Hoe we uw gegevens gebruiken: /privacy. In English: /language."
        ),
        _EN: (
            "👋 <b>Welcome to Meldbot {municipality}</b>\n\n"
            "Here you report nuisance and unsafe spots in your neighbourhood, such as youth "
            "nuisance, drug-related nuisance, vandalism or a dark, unsafe spot. Your report goes "
            "to the partner who can act on it: police, municipal enforcement, fire brigade, "
            "housing corporation or another chain partner.\n\n"
            "🚨 <b>Not for emergencies.</b> Is there danger right now? Call <b>112</b>.\n"
            "👮 Police, non-emergency: 0900-8844.\n"
            "🕵️ Report a crime anonymously: Meld Misdaad Anoniem, 0800-7000.\n\n"
            "How we use your data: /privacy. In het Nederlands: /taal."
        ),
    },
    T.HELP: {
        _NL: (
            "<b>Zo werkt Meldbot</b>\n"
            "/melden – een nieuwe melding doen\n"
            "/mijnmeldingen – uw meldingen en hun status\n"
            "/annuleren – de melding in voorbereiding weggooien\n"
            "/taal – Nederlands of Engels\n"
            "/privacy – wat we met uw gegevens doen\n"
            "/vergeetmij – uw gegevens wissen\n"
            "/tips – geregeld een overzicht en tip voor uw wijk (/tips uit stopt het)\n"
            "/stop – geen vervolgvragen, enquêtes en tips meer (/start zet ze weer aan)\n\n"
            "🚨 Bij gevaar: bel 112. Politie zonder spoed: 0900-8844."
        ),
        _EN: (
            "<b>How Meldbot works</b>\n"
            "/report – make a new report\n"
            "/myreports – your reports and their status\n"
            "/cancel – discard the report you are preparing\n"
            "/language – Dutch or English\n"
            "/privacy – what we do with your data\n"
            "/forgetme – erase your data\n"
            "/tips – a regular digest and tip for your district (/tips off stops it)\n"
            "/stop – no more follow-up questions, surveys and tips (/start turns them on)\n\n"
            "🚨 In danger: call 112. Police, non-emergency: 0900-8844."
        ),
    },
    T.PRIVACY: {
        _NL: (
            "<b>Uw privacy</b>\n"
            "• We bewaren wat u meldt: categorie, plek (buurt en wijk, en de exacte plek als u die "
            "deelt), beschrijving, foto's, wanneer het speelt en of u benaderd mag worden.\n"
            "• Van u bewaren we alleen uw Telegram-nummer, zodat u uw meldingen kunt volgen. Geen "
            "naam, geen telefoonnummer.\n"
            "• Partners zien niet wie u bent, tenzij u zelf toestemming geeft.\n"
            "• Telegram is niet anoniem. Wilt u anoniem een misdaad melden? Bel Meld Misdaad "
            "Anoniem: 0800-7000.\n"
            "• Met /vergeetmij wist u uw gegevens; uw meldingen blijven dan alleen als anonieme "
            "telling per buurt bestaan.\n"
            "Kaartgegevens: {attribution}."
        ),
        _EN: (
            "<b>Your privacy</b>\n"
            "• We keep what you report: category, place (neighbourhood and district, and the exact "
            "spot if you share it), description, photos, when it happens and whether you may be "
            "contacted.\n"
            "• About you we keep only your Telegram number, so you can follow your reports. No "
            "name, no phone number.\n"
            "• Partners do not see who you are unless you agree.\n"
            "• Telegram is not anonymous. To report a crime anonymously, call Meld Misdaad "
            "Anoniem: 0800-7000.\n"
            "• /forgetme erases your data; your reports then remain only as anonymous counts per "
            "neighbourhood.\n"
            "Map data: {attribution}."
        ),
    },
    T.BTN_NEW_REPORT: {_NL: "📝 Nieuwe melding", _EN: "📝 New report"},
    T.BTN_MY_REPORTS: {_NL: "📋 Mijn meldingen", _EN: "📋 My reports"},
    T.LANGUAGE_PROMPT: {
        _NL: "In welke taal wilt u Meldbot gebruiken?",
        _EN: "Which language would you like to use Meldbot in?",
    },
    T.LANGUAGE_SET: {
        _NL: "✅ Meldbot spreekt nu Nederlands met u.",
        _EN: "✅ Meldbot now speaks English with you.",
    },
    T.ASK_CATEGORY: {
        _NL: "<b>Nieuwe melding</b> (stap 1 van 6)\nWaarover gaat uw melding?",
        _EN: "<b>New report</b> (step 1 of 6)\nWhat is your report about?",
    },
    T.ASK_LOCATION: {
        _NL: (
            "<b>Waar is het?</b> (stap 2 van 6)\n"
            "• Tik op <b>📍 Deel mijn locatie</b> (of stuur een locatie via 📎), of\n"
            "• typ een adres (<i>Oude Markt 1</i>) of postcode (<i>7511 AB 12</i>), of\n"
            "• typ de naam van de buurt (<i>Wesselerbrink</i>).\n"
            "Liever geen precieze plek? Kies dan een wijk en buurt."
        ),
        _EN: (
            "<b>Where is it?</b> (step 2 of 6)\n"
            "• Tap <b>📍 Share my location</b> (or send a location via 📎), or\n"
            "• type an address (<i>Oude Markt 1</i>) or postcode (<i>7511 AB 12</i>), or\n"
            "• type the name of the neighbourhood (<i>Wesselerbrink</i>).\n"
            "Rather not give an exact spot? Choose a district and neighbourhood."
        ),
    },
    T.BTN_SHARE_LOCATION: {_NL: "📍 Deel mijn locatie", _EN: "📍 Share my location"},
    T.BTN_CHOOSE_WIJK: {_NL: "🗺️ Kies een wijk", _EN: "🗺️ Choose a district"},
    T.ASK_WIJK: {_NL: "In welke wijk is het?", _EN: "Which district is it in?"},
    T.ASK_BUURT: {
        _NL: "In welke buurt van {wijk} is het?",
        _EN: "Which neighbourhood of {wijk} is it in?",
    },
    T.BTN_BACK: {_NL: "⬅️ Terug", _EN: "⬅️ Back"},
    T.LOCATION_SET: {
        _NL: "📍 Plek: <b>{buurt}</b> ({wijk}).",
        _EN: "📍 Place: <b>{buurt}</b> ({wijk}).",
    },
    T.LOCATION_SET_APPROX: {
        _NL: "📍 Plek: rond <b>{label}</b>, buurt <b>{buurt}</b> ({wijk}).",
        _EN: "📍 Place: around <b>{label}</b>, neighbourhood <b>{buurt}</b> ({wijk}).",
    },
    T.LOCATION_OUTSIDE: {
        _NL: (
            "Deze plek ligt buiten de gemeente {municipality}. Meldbot neemt alleen meldingen "
            "in {municipality} aan; voor een andere plaats kunt u terecht bij die gemeente. "
            "Deel een plek in {municipality}, typ een postcode of kies een wijk."
        ),
        _EN: (
            "This place is outside the municipality of {municipality}. Meldbot only takes "
            "reports in {municipality}; for another town, please contact that municipality. "
            "Share a place in {municipality}, type a postcode or choose a district."
        ),
    },
    T.LOCATION_NOT_FOUND: {
        _NL: (
            "Ik kan «{query}» niet vinden in {municipality}. Probeer een adres met huisnummer, "
            "een postcode (<i>7511 AB</i>), de naam van de buurt, of deel uw locatie."
        ),
        _EN: (
            "I can't find “{query}” in {municipality}. Try an address with a house number, a "
            "postcode (<i>7511 AB</i>), the name of the neighbourhood, or share your location."
        ),
    },
    T.LOCATION_AMBIGUOUS: {
        _NL: "«{query}» kan meerdere buurten zijn. Welke bedoelt u?",
        _EN: "“{query}” could be several neighbourhoods. Which one do you mean?",
    },
    T.GEOCODER_UNAVAILABLE: {
        _NL: (
            "Adressen opzoeken lukt op dit moment niet. Deel uw locatie met de knop, typ een "
            "postcode of kies een wijk."
        ),
        _EN: (
            "Looking up addresses is not possible right now. Share your location with the "
            "button, type a postcode or choose a district."
        ),
    },
    T.ASK_DESCRIPTION: {
        _NL: (
            "<b>Wat is er aan de hand?</b> (stap 3 van 6)\n"
            "Beschrijf het in één bericht, tussen {min} en {max} tekens. Wat gebeurt er, hoe "
            "vaak, en waar precies? Noem geen namen of telefoonnummers van anderen."
        ),
        _EN: (
            "<b>What is going on?</b> (step 3 of 6)\n"
            "Describe it in one message, between {min} and {max} characters. What happens, how "
            "often, and where exactly? Please leave out other people's names and phone numbers."
        ),
    },
    T.DESCRIPTION_TOO_SHORT: {
        _NL: "Uw beschrijving is te kort ({length} tekens). Schrijf er minstens {min}.",
        _EN: "Your description is too short ({length} characters). Please write at least {min}.",
    },
    T.DESCRIPTION_TOO_LONG: {
        _NL: (
            "Uw beschrijving is te lang ({length} tekens; hooguit {max}). Maak hem korter en "
            "stuur hem opnieuw. Er is nog niets opgeslagen van deze tekst."
        ),
        _EN: (
            "Your description is too long ({length} characters; at most {max}). Please shorten "
            "it and send it again. Nothing of this text has been saved yet."
        ),
    },
    T.ASK_PHOTOS: {
        _NL: (
            "<b>Foto's</b> (stap 4 van 6, mag u overslaan)\n"
            "Stuur maximaal {max} foto's van de plek of het probleem. Zet er geen herkenbare "
            "mensen op."
        ),
        _EN: (
            "<b>Photos</b> (step 4 of 6, optional)\n"
            "Send up to {max} photos of the place or the problem. Please keep people "
            "unrecognisable."
        ),
    },
    T.PHOTO_RECEIVED: {
        _NL: "📷 Foto {count} van {max} ontvangen. Stuur er nog een of tik op Klaar.",
        _EN: "📷 Photo {count} of {max} received. Send another or tap Done.",
    },
    T.PHOTOS_FULL: {
        _NL: "U heeft al {max} foto's toegevoegd; meer kan niet bij één melding.",
        _EN: "You have already added {max} photos; a report cannot hold more.",
    },
    T.CAPTION_ADDED: {
        _NL: "Het bijschrift van de foto is aan uw beschrijving toegevoegd.",
        _EN: "The photo's caption has been added to your description.",
    },
    T.CAPTION_TOO_LONG: {
        _NL: (
            "Het bijschrift past niet meer bij uw beschrijving en is niet opgeslagen; de foto "
            "wel. Wijzig de beschrijving eventueel bij het overzicht."
        ),
        _EN: (
            "The caption no longer fits your description and was not saved; the photo was. "
            "You can change the description at the summary."
        ),
    },
    T.BTN_NO_PHOTOS: {_NL: "Geen foto's", _EN: "No photos"},
    T.BTN_PHOTOS_DONE: {_NL: "✅ Klaar", _EN: "✅ Done"},
    T.ASK_TIMING: {
        _NL: "<b>Wanneer speelt het?</b> (stap 5 van 6)",
        _EN: "<b>When does it happen?</b> (step 5 of 6)",
    },
    T.TIMING_NOW: {_NL: "Nu", _EN: "Now"},
    T.TIMING_EARLIER: {_NL: "Eerder, nu niet meer", _EN: "Earlier, not now"},
    T.TIMING_RECURRING: {_NL: "Het komt steeds terug", _EN: "It keeps recurring"},
    T.ASK_CONTACT: {
        _NL: (
            "<b>Mogen we contact met u opnemen?</b> (stap 6 van 6)\n"
            "Als u ja zegt, ziet de behandelaar (bijvoorbeeld de wijkagent) uw Telegram-naam en "
            "kan die u vragen stellen. Zegt u nee, dan geven we niet door wie u bent; vragen "
            "lopen dan via Meldbot."
        ),
        _EN: (
            "<b>May we contact you?</b> (step 6 of 6)\n"
            "If you say yes, the caseworker (for example the neighbourhood officer) sees your "
            "Telegram name and can ask you questions. If you say no, we do not pass on who you "
            "are; questions then go through Meldbot."
        ),
    },
    T.BTN_CONTACT_YES: {_NL: "Ja, dat mag", _EN: "Yes, that's fine"},
    T.BTN_CONTACT_NO: {_NL: "Nee, liever niet", _EN: "No, rather not"},
    T.CONTACT_YES: {
        _NL: "Ja, mijn Telegram-naam mag gedeeld worden",
        _EN: "Yes, my Telegram name may be shared",
    },
    T.CONTACT_NO: {
        _NL: "Nee, mijn identiteit wordt niet gedeeld",
        _EN: "No, my identity is not shared",
    },
    T.SUMMARY: {
        _NL: (
            "<b>Controleer uw melding</b>\n"
            "Categorie: {category}\n"
            "Plek: {place}\n"
            "Wanneer: {timing}\n"
            "Foto's: {photos}\n"
            "Contact: {contact}\n\n"
            "<blockquote>{description}</blockquote>\n"
            "Klopt alles? Tik op Versturen."
        ),
        _EN: (
            "<b>Check your report</b>\n"
            "Category: {category}\n"
            "Place: {place}\n"
            "When: {timing}\n"
            "Photos: {photos}\n"
            "Contact: {contact}\n\n"
            "<blockquote>{description}</blockquote>\n"
            "Is everything right? Tap Send."
        ),
    },
    T.SUMMARY_POINT: {
        _NL: "{buurt} ({wijk}), exacte plek gedeeld{label}",
        _EN: "{buurt} ({wijk}), exact spot shared{label}",
    },
    T.SUMMARY_AREA: {
        _NL: "{buurt} ({wijk}), geen exacte plek",
        _EN: "{buurt} ({wijk}), no exact spot",
    },
    T.BTN_CONFIRM: {_NL: "✅ Versturen", _EN: "✅ Send"},
    T.BTN_CHANGE: {_NL: "✏️ Wijzigen", _EN: "✏️ Change"},
    T.BTN_CANCEL: {_NL: "✖️ Annuleren", _EN: "✖️ Cancel"},
    T.ASK_CHANGE: {_NL: "Wat wilt u wijzigen?", _EN: "What would you like to change?"},
    T.FIELD_CATEGORY: {_NL: "Categorie", _EN: "Category"},
    T.FIELD_LOCATION: {_NL: "Plek", _EN: "Place"},
    T.FIELD_DESCRIPTION: {_NL: "Beschrijving", _EN: "Description"},
    T.FIELD_PHOTOS: {_NL: "Foto's", _EN: "Photos"},
    T.FIELD_TIMING: {_NL: "Wanneer", _EN: "When"},
    T.FIELD_CONTACT: {_NL: "Contact", _EN: "Contact"},
    T.CHOSEN: {_NL: "{question}\n➡️ <b>{answer}</b>", _EN: "{question}\n➡️ <b>{answer}</b>"},
    T.CONFIRMED: {
        _NL: (
            "✅ <b>Dank u wel!</b> Uw melding is opgeslagen onder nummer <b>{reference}</b>.\n"
            "Ze gaat naar de partner die erover gaat. Met /mijnmeldingen ziet u hoe het ermee "
            "staat. Is er toch gevaar? Bel 112."
        ),
        _EN: (
            "✅ <b>Thank you!</b> Your report has been saved as <b>{reference}</b>.\n"
            "It goes to the partner responsible. /myreports shows how it stands. Is there "
            "danger after all? Call 112."
        ),
    },
    T.SAVE_FAILED: {
        _NL: (
            "⚠️ Het opslaan van uw melding is niet gelukt. Er is niets verloren: uw melding "
            "staat nog klaar. Tik zo nog eens op Versturen."
        ),
        _EN: (
            "⚠️ Saving your report did not work. Nothing is lost: your report is still ready. "
            "Please tap Send again in a moment."
        ),
    },
    T.CANCELLED: {
        _NL: "Uw melding is geannuleerd en gewist. Met /melden begint u opnieuw.",
        _EN: "Your report has been cancelled and erased. Use /report to start again.",
    },
    T.NOTHING_TO_CANCEL: {
        _NL: "Er is geen melding in voorbereiding. Met /melden begint u een nieuwe.",
        _EN: "There is no report in progress. Use /report to start a new one.",
    },
    T.RESUMING: {
        _NL: "U was al bezig met een melding; we gaan verder waar u was. (/annuleren wist hem.)",
        _EN: "You were already preparing a report; let's continue where you were. (/cancel "
        "erases it.)",
    },
    T.DRAFT_EXPIRED: {
        _NL: (
            "⌛ Uw melding in voorbereiding is na {minutes} minuten zonder reactie verlopen en "
            "gewist. Met /melden begint u opnieuw."
        ),
        _EN: (
            "⌛ The report you were preparing expired after {minutes} minutes without a reply "
            "and has been erased. Use /report to start again."
        ),
    },
    T.URGENT: {
        _NL: (
            "🚨 <b>Is er nu gevaar of gebeurt het op dit moment? Bel direct 112.</b>\n"
            "Tik op het contact hieronder om te bellen. Meldbot is niet voor noodgevallen; u kunt "
            "deze melding daarna gewoon afmaken."
        ),
        _EN: (
            "🚨 <b>Is there danger, or is it happening right now? Call 112 immediately.</b>\n"
            "Tap the contact below to call. Meldbot is not for emergencies; you can finish this "
            "report afterwards."
        ),
    },
    T.URGENT_CONTACT_NAME: {_NL: "Alarmnummer 112", _EN: "Emergency number 112"},
    T.MY_REPORTS_HEADER: {
        _NL: "<b>Uw meldingen</b> (nieuwste eerst)",
        _EN: "<b>Your reports</b> (newest first)",
    },
    T.MY_REPORTS_ITEM: {
        _NL: "• <b>{reference}</b>, {date}\n  {category}, {buurt}\n  Status: {status}",
        _EN: "• <b>{reference}</b>, {date}\n  {category}, {buurt}\n  Status: {status}",
    },
    T.MY_REPORTS_EMPTY: {
        _NL: "U heeft nog geen meldingen gedaan. Met /melden doet u uw eerste.",
        _EN: "You have not made any reports yet. Use /report to make your first.",
    },
    T.STATUS_NEW: {_NL: "ontvangen", _EN: "received"},
    T.STATUS_ROUTED: {_NL: "doorgestuurd naar de juiste partner", _EN: "sent to the right partner"},
    T.STATUS_IN_PROGRESS: {_NL: "in behandeling", _EN: "being handled"},
    T.STATUS_WAITING_FOR_RESIDENT: {_NL: "wacht op uw antwoord", _EN: "waiting for your answer"},
    T.STATUS_RESOLVED: {_NL: "afgehandeld", _EN: "resolved"},
    T.STATUS_REJECTED: {
        _NL: "wordt opnieuw bekeken door de gemeente",
        _EN: "being reviewed again by the municipality",
    },
    T.STATUS_REOPENED: {_NL: "heropend", _EN: "reopened"},
    T.STATUS_CANCELLED: {_NL: "geannuleerd", _EN: "cancelled"},
    T.EXPECT_CATEGORY: {
        _NL: "Kies eerst een categorie met de knoppen hierboven.",
        _EN: "First choose a category with the buttons above.",
    },
    T.EXPECT_LOCATION: {
        _NL: "Ik wacht op de plek: deel uw locatie, typ een adres, postcode of buurtnaam, of "
        "kies een wijk.",
        _EN: "I'm waiting for the place: share your location, type an address, postcode or "
        "neighbourhood name, or choose a district.",
    },
    T.EXPECT_DESCRIPTION: {
        _NL: "Ik wacht op een beschrijving in tekst ({min} tot {max} tekens).",
        _EN: "I'm waiting for a description in text ({min} to {max} characters).",
    },
    T.EXPECT_PHOTOS: {
        _NL: "Stuur een foto (als foto, niet als bestand), of tik op de knop om verder te gaan.",
        _EN: "Send a photo (as a photo, not as a file), or tap the button to go on.",
    },
    T.EXPECT_TIMING: {
        _NL: "Kies met de knoppen wanneer het speelt.",
        _EN: "Choose with the buttons when it happens.",
    },
    T.EXPECT_CONTACT: {
        _NL: "Kies met de knoppen of we contact met u mogen opnemen.",
        _EN: "Choose with the buttons whether we may contact you.",
    },
    T.EXPECT_CONFIRM: {
        _NL: "Tik op Versturen, Wijzigen of Annuleren onder het overzicht.",
        _EN: "Tap Send, Change or Cancel below the summary.",
    },
    T.NO_DRAFT: {
        _NL: "Wilt u iets melden? Tik op /melden. Hulp: /help. Bij gevaar: bel 112.",
        _EN: "Want to report something? Tap /report. Help: /help. In danger: call 112.",
    },
    T.UNSUPPORTED_MESSAGE: {
        _NL: "Dit soort bericht kan ik niet verwerken.",
        _EN: "I can't handle this kind of message.",
    },
    T.EDITED_MESSAGE: {
        _NL: "Een gewijzigd bericht neem ik niet over. Stuur de nieuwe tekst als nieuw bericht.",
        _EN: "I don't pick up edited messages. Please send the new text as a new message.",
    },
    T.UNKNOWN_COMMAND: {
        _NL: "Die opdracht ken ik niet. Kijk bij /help wat ik kan.",
        _EN: "I don't know that command. See /help for what I can do.",
    },
    T.STALE_BUTTON: {
        _NL: "Deze knop hoort bij een eerder bericht en werkt niet meer.",
        _EN: "This button belongs to an earlier message and no longer works.",
    },
    T.UNKNOWN_BUTTON: {
        _NL: "Deze knop ken ik niet.",
        _EN: "I don't know this button.",
    },
    T.GROUP_USE_PRIVATE: {
        _NL: (
            "Meldingen doet u in een privégesprek met mij, zodat niemand anders uw melding "
            "ziet: {link}"
        ),
        _EN: (
            "Please make reports in a private chat with me, so nobody else sees your report: {link}"
        ),
    },
    T.INTERNAL_ERROR: {
        _NL: (
            "⚠️ Er ging iets mis aan onze kant. Wat u al had ingevuld is bewaard; probeer het "
            "zo nog eens. Bij gevaar: bel 112."
        ),
        _EN: (
            "⚠️ Something went wrong on our side. What you had filled in is kept; please try "
            "again in a moment. In danger: call 112."
        ),
    },
    T.FORGET_PROMPT: {
        _NL: (
            "Wilt u al uw gegevens bij Meldbot wissen? Uw melding in voorbereiding en uw "
            "voorkeuren verdwijnen; van uw meldingen blijven alleen categorie, buurt, datum en "
            "status over, zonder koppeling aan u. Dit kan niet ongedaan worden."
        ),
        _EN: (
            "Do you want to erase all your data at Meldbot? Your draft and preferences are "
            "deleted; of your reports only category, neighbourhood, date and status remain, no "
            "longer linked to you. This cannot be undone."
        ),
    },
    T.BTN_FORGET_YES: {_NL: "Ja, wis mijn gegevens", _EN: "Yes, erase my data"},
    T.BTN_FORGET_NO: {_NL: "Nee, niet wissen", _EN: "No, keep them"},
    T.FORGET_DONE: {
        _NL: "🗑️ Uw gegevens zijn gewist ({reports} meldingen losgekoppeld).",
        _EN: "🗑️ Your data has been erased ({reports} reports unlinked).",
    },
    T.FORGET_KEPT: {_NL: "Er is niets gewist.", _EN: "Nothing has been erased."},
    T.CMD_START: {_NL: "Uitleg en start", _EN: "Introduction"},
    T.CMD_REPORT: {_NL: "Nieuwe melding doen", _EN: "Make a new report"},
    T.CMD_MY_REPORTS: {_NL: "Mijn meldingen en hun status", _EN: "My reports and their status"},
    T.CMD_CANCEL: {_NL: "Melding in voorbereiding wissen", _EN: "Discard the report in progress"},
    T.CMD_HELP: {_NL: "Hulp", _EN: "Help"},
    T.CMD_LANGUAGE: {_NL: "Taal kiezen", _EN: "Choose language"},
    T.CMD_PRIVACY: {_NL: "Wat we met uw gegevens doen", _EN: "What we do with your data"},
    T.CMD_FORGET: {_NL: "Mijn gegevens wissen", _EN: "Erase my data"},
    T.CMD_STOP: {
        _NL: "Geen vervolgvragen, enquêtes en tips meer",
        _EN: "No more follow-up questions, surveys and tips",
    },
    T.P_NOTIFICATION: {
        _NL: "{badge}🆕 <b>Melding {reference}</b> · {category}\n📍 {place}\n🕒 Speelt: {timing}\n⏰ Oppakken vóór {due} (binnen {target})\n👤 {reporter}\n<blockquote>{description}</blockquote>\n<b>Status:</b> {status}",
        _EN: "{badge}🆕 <b>Report {reference}</b> · {category}\n📍 {place}\n🕒 Happens: {timing}\n⏰ Claim before {due} (within {target})\n👤 {reporter}\n<blockquote>{description}</blockquote>\n<b>Status:</b> {status}",
    },
    T.P_BADGE_INFO: {
        _NL: "ℹ️ <b>Ter informatie</b>: {lead} pakt dit op; u hoeft niets te doen.\n",
        _EN: "ℹ️ <b>For information</b>: {lead} handles this; no action needed.\n",
    },
    T.P_BADGE_UNLINKED: {
        _NL: "⚠️ <b>Voor {partner}</b>, die nog geen gekoppelde chat heeft.\n",
        _EN: "⚠️ <b>For {partner}</b>, which has no linked chat yet.\n",
    },
    T.P_BADGE_FORWARDED: {
        _NL: "↪️ <b>Doorgezet</b> door {partner}.\n",
        _EN: "↪️ <b>Forwarded</b> by {partner}.\n",
    },
    T.P_BADGE_REJECTED: {
        _NL: "🚫 <b>Terug naar de coördinator</b>: {partner} zegt dat dit niet voor hen is ({reason}).\n",
        _EN: "🚫 <b>Back to the coordinator</b>: {partner} says this is not theirs ({reason}).\n",
    },
    T.P_PLACE_POINT: {
        _NL: "{buurt} ({wijk}), exacte plek: kaart hieronder",
        _EN: "{buurt} ({wijk}), exact spot: map below",
    },
    T.P_PLACE_AREA: {
        _NL: "{buurt} ({wijk}), geen exacte plek",
        _EN: "{buurt} ({wijk}), no exact spot",
    },
    T.P_REPORTER_CONTACT: {
        _NL: "melder mag benaderd worden: {name}",
        _EN: "the reporter may be contacted: {name}",
    },
    T.P_REPORTER_ANONYMOUS: {
        _NL: "melder blijft anoniem; vragen gaan via Meldbot (❓ of antwoord op dit bericht)",
        _EN: "the reporter stays anonymous; questions go through Meldbot (❓ or reply to this message)",
    },
    T.P_STATUS_ROUTED: {
        _NL: "nieuw, nog niet opgepakt",
        _EN: "new, not yet claimed",
    },
    T.P_STATUS_CLAIMED: {
        _NL: "in behandeling bij {name}",
        _EN: "being handled by {name}",
    },
    T.P_STATUS_WAITING: {
        _NL: "{name} wacht op antwoord van de melder",
        _EN: "{name} is waiting for the reporter's answer",
    },
    T.P_STATUS_RESOLVED: {
        _NL: "afgehandeld door {name}: {closing}",
        _EN: "resolved by {name}: {closing}",
    },
    T.P_STATUS_FORWARDED: {
        _NL: "doorgezet naar {partner} door {name}",
        _EN: "forwarded to {partner} by {name}",
    },
    T.P_STATUS_REJECTED: {
        _NL: "niet voor ons volgens {name}; terug naar de coördinator",
        _EN: "not ours according to {name}; back to the coordinator",
    },
    T.P_STATUS_CANCELLED: {
        _NL: "geannuleerd",
        _EN: "cancelled",
    },
    T.P_STATUS_REOPENED: {
        _NL: "heropend, nog niet opgepakt",
        _EN: "reopened, not yet claimed",
    },
    T.P_BTN_CLAIM: {
        _NL: "🙋 Oppakken",
        _EN: "🙋 Claim",
    },
    T.P_BTN_RESOLVE: {
        _NL: "✅ Afhandelen",
        _EN: "✅ Resolve",
    },
    T.P_BTN_FORWARD: {
        _NL: "↪️ Doorzetten",
        _EN: "↪️ Forward",
    },
    T.P_BTN_ASK: {
        _NL: "❓ Vraag melder",
        _EN: "❓ Ask reporter",
    },
    T.P_BTN_NOT_OURS: {
        _NL: "🚫 Niet van ons",
        _EN: "🚫 Not ours",
    },
    T.P_BTN_BACK: {
        _NL: "⬅️ Terug",
        _EN: "⬅️ Back",
    },
    T.P_BTN_OWN_TEXT: {
        _NL: "✏️ Eigen tekst",
        _EN: "✏️ Own text",
    },
    T.P_PROMPT_RESOLVE: {
        _NL: "{name}, typ als antwoord op dit bericht de afsluittekst voor de melder van {reference}.",
        _EN: "{name}, reply to this message with the closing text for the reporter of {reference}.",
    },
    T.P_PROMPT_REASON: {
        _NL: "{name}, typ als antwoord op dit bericht de toelichting voor de melder van {reference}.",
        _EN: "{name}, reply to this message with the explanation for the reporter of {reference}.",
    },
    T.P_PROMPT_ASK: {
        _NL: "{name}, typ als antwoord op dit bericht uw vraag aan de melder van {reference}. Meldbot geeft hem door zonder namen.",
        _EN: "{name}, reply to this message with your question for the reporter of {reference}. Meldbot passes it on without names.",
    },
    T.P_PROMPT_NOT_OURS: {
        _NL: "{name}, typ als antwoord op dit bericht waarom {reference} niet voor u is; de coördinator krijgt hem terug.",
        _EN: "{name}, reply to this message with why {reference} is not yours; the coordinator gets it back.",
    },
    T.P_ALERT_CLAIMED_BY: {
        _NL: "{name} heeft deze melding al opgepakt.",
        _EN: "{name} has already claimed this report.",
    },
    T.P_ALERT_NOT_HERE: {
        _NL: "Deze knop werkt alleen in de chat van de partner die de melding behandelt.",
        _EN: "This button only works in the chat of the partner handling the report.",
    },
    T.P_ALERT_NOT_CASEWORKER: {
        _NL: "Alleen de behandelaars van {partner} kunnen dit doen.",
        _EN: "Only caseworkers of {partner} can do this.",
    },
    T.P_ALERT_STALE: {
        _NL: "Deze melding is nu: {status}. Deze knop doet niets meer.",
        _EN: "This report is now: {status}. This button no longer does anything.",
    },
    T.P_ALERT_DONE: {
        _NL: "Gelukt.",
        _EN: "Done.",
    },
    T.P_TEXT_TOO_LONG: {
        _NL: "Die tekst is te lang ({length} tekens; hooguit {max}). Probeer het korter, weer als antwoord op de vraag.",
        _EN: "That text is too long ({length} characters; at most {max}). Please shorten it, again as a reply to the prompt.",
    },
    T.P_LINKED: {
        _NL: "✅ Deze chat is nu gekoppeld aan <b>{partner}</b>. Meldingen voor {partner} komen voortaan hier binnen.",
        _EN: "✅ This chat is now linked to <b>{partner}</b>. Reports for {partner} arrive here from now on.",
    },
    T.P_LINK_USAGE: {
        _NL: "Gebruik: /koppel &lt;partner-id&gt; &lt;code&gt;. Partner-ids: {ids}",
        _EN: "Usage: /koppel &lt;partner-id&gt; &lt;code&gt;. Partner ids: {ids}",
    },
    T.P_LINK_BAD_CODE: {
        _NL: "De koppelcode klopt niet; er is niets gekoppeld.",
        _EN: "The link code is wrong; nothing was linked.",
    },
    T.P_LINK_DISABLED: {
        _NL: "Koppelen vanuit de chat staat uit (geen MELDBOT_LINK_CODE ingesteld). Vraag de beheerder om de chat-id in de configuratie te zetten.",
        _EN: "Linking from the chat is switched off (no MELDBOT_LINK_CODE set). Ask the administrator to put the chat id in the configuration.",
    },
    T.P_LINK_PRIVATE: {
        _NL: "Koppelen kan alleen in de groepschat van een partner.",
        _EN: "Linking only works in a partner's group chat.",
    },
    T.P_UNLINKED: {
        _NL: "Koppeling van {partner} verwijderd; hun meldingen gaan nu naar de coördinator.",
        _EN: "Link of {partner} removed; their reports now go to the coordinator.",
    },
    T.P_UNLINK_USAGE: {
        _NL: "Gebruik: /ontkoppel &lt;partner-id&gt;",
        _EN: "Usage: /ontkoppel &lt;partner-id&gt;",
    },
    T.P_UNLINK_NOT_ALLOWED: {
        _NL: "Alleen de coördinator kan ontkoppelen, vanuit de eigen gekoppelde chat.",
        _EN: "Only the coordinator can unlink, from their own linked chat.",
    },
    T.P_NOTHING_LINKED: {
        _NL: "{partner} was niet gekoppeld.",
        _EN: "{partner} was not linked.",
    },
    T.P_UNREACHABLE: {
        _NL: "⚠️ Meldbot kan chat {chat} niet bereiken ({reason}). Is de bot uit de groep verwijderd? Koppel opnieuw met /koppel.",
        _EN: "⚠️ Meldbot cannot reach chat {chat} ({reason}). Was the bot removed from the group? Link again with /koppel.",
    },
    T.R_CLAIMED: {
        _NL: "🙋 Uw melding <b>{reference}</b> is opgepakt door {partner}.",
        _EN: "🙋 Your report <b>{reference}</b> has been picked up by {partner}.",
    },
    T.R_FORWARDED: {
        _NL: "↪️ Uw melding <b>{reference}</b> is doorgezet naar {partner}, die er nu over gaat.",
        _EN: "↪️ Your report <b>{reference}</b> has been passed to {partner}, which now handles it.",
    },
    T.R_QUESTION: {
        _NL: "❓ {partner} heeft een vraag over uw melding <b>{reference}</b>:\n<blockquote>{question}</blockquote>\nStuur uw antwoord als bericht; Meldbot geeft het door.",
        _EN: "❓ {partner} has a question about your report <b>{reference}</b>:\n<blockquote>{question}</blockquote>\nSend your answer as a message; Meldbot passes it on.",
    },
    T.R_RESOLVED: {
        _NL: "✅ Uw melding <b>{reference}</b> is afgehandeld door {partner}:\n<blockquote>{closing}</blockquote>\nDank u wel voor uw melding.",
        _EN: "✅ Your report <b>{reference}</b> has been resolved by {partner}:\n<blockquote>{closing}</blockquote>\nThank you for your report.",
    },
    T.R_ANSWER_RELAYED: {
        _NL: "💬 Uw antwoord op de vraag over {reference} is doorgegeven.",
        _EN: "💬 Your answer about {reference} has been passed on.",
    },
    T.R_FOLLOWUP_QUESTION: {
        _NL: "🔁 <b>Speelt het nog?</b>\nOp {date} meldde u <b>{reference}</b> · {category} in {buurt}. Is de overlast er nog steeds? Uw antwoord gaat naar de partner die uw melding behandelt.",
        _EN: "🔁 <b>Is it still going on?</b>\nOn {date} you reported <b>{reference}</b> · {category} in {buurt}. Is the nuisance still there? Your answer goes to the partner handling your report.",
    },
    T.BTN_FOLLOWUP_ONGOING: {_NL: "🔁 Speelt nog steeds", _EN: "🔁 Still going on"},
    T.BTN_FOLLOWUP_SOLVED: {_NL: "✅ Opgelost", _EN: "✅ Solved"},
    T.BTN_FOLLOWUP_MORE: {_NL: "➕ Informatie toevoegen", _EN: "➕ Add information"},
    T.BTN_PROACTIVE_STOP: {
        _NL: "🔕 Stuur mij zulke berichten niet meer",
        _EN: "🔕 Stop these messages",
    },
    T.R_FOLLOWUP_ONGOING: {
        _NL: "🔁 Dank u. We hebben {partner} laten weten dat de overlast bij <b>{reference}</b> nog speelt.",
        _EN: "🔁 Thank you. We have told {partner} that the nuisance of <b>{reference}</b> is still going on.",
    },
    T.R_FOLLOWUP_ASK_AGAIN: {
        _NL: "Op {date} vragen we het u nog eens.",
        _EN: "We will ask you again on {date}.",
    },
    T.R_FOLLOWUP_SOLVED: {
        _NL: "✅ Fijn om te horen! We hebben {partner} gevraagd melding <b>{reference}</b> af te sluiten.",
        _EN: "✅ Good to hear! We have asked {partner} to close report <b>{reference}</b>.",
    },
    T.R_FOLLOWUP_MORE: {
        _NL: "➕ Stuur nu een bericht of een foto met wat u wilt toevoegen aan <b>{reference}</b>; ik geef het door aan {partner}.",
        _EN: "➕ Send a message or a photo now with what you want to add to <b>{reference}</b>; I will pass it on to {partner}.",
    },
    T.R_FOLLOWUP_ADDED: {
        _NL: "📎 Uw aanvulling op <b>{reference}</b> is doorgegeven aan {partner}.",
        _EN: "📎 Your addition to <b>{reference}</b> has been passed on to {partner}.",
    },
    T.FOLLOWUP_STALE: {
        _NL: "Deze vraag is al beantwoord of geldt niet meer.",
        _EN: "This question was already answered or no longer applies.",
    },
    T.FOLLOWUP_CLOSED: {
        _NL: "Deze melding is al afgesloten; er hoeft niets meer te gebeuren.",
        _EN: "This report is already closed; nothing more is needed.",
    },
    T.P_FOLLOWUP_ONGOING: {
        _NL: "🔁 <b>Speelt nog</b>: de melder van {reference} laat weten dat de overlast nog steeds speelt (al {count}× na de melding).",
        _EN: "🔁 <b>Still going on</b>: the reporter of {reference} says the nuisance is still going on ({count}× since the report).",
    },
    T.P_FOLLOWUP_SOLVED: {
        _NL: "✅ <b>Opgelost volgens de melder</b>: de melder van {reference} laat weten dat het probleem is opgelost. Wilt u de melding afsluiten met ✅ Afhandelen onder de melding?",
        _EN: "✅ <b>Solved according to the reporter</b>: the reporter of {reference} says the problem is solved. Please close the report with ✅ Afhandelen below the report.",
    },
    T.P_FOLLOWUP_ADDITION: {
        _NL: "📎 <b>Aanvulling van de melder</b> op {reference}:\n<blockquote>{text}</blockquote>",
        _EN: "📎 <b>Addition from the reporter</b> to {reference}:\n<blockquote>{text}</blockquote>",
    },
    T.P_FOLLOWUP_ADDITION_PHOTO: {
        _NL: "📎 <b>Foto van de melder</b> bij {reference}",
        _EN: "📎 <b>Photo from the reporter</b> for {reference}",
    },
    T.STOP_DONE: {
        _NL: "🔕 Meldbot stuurt u geen vervolgvragen, enquêtes en tips meer. Berichten over uw meldingen, zoals een vraag van een behandelaar of de afhandeling, krijgt u wel. Met /start zet u ze weer aan.",
        _EN: "🔕 Meldbot will send you no more follow-up questions, surveys or tips. You will still hear about your reports, such as a caseworker's question or the outcome. /start turns them back on.",
    },
    T.STOP_ALREADY: {
        _NL: "🔕 U krijgt al geen vervolgvragen, enquêtes en tips meer. Met /start zet u ze weer aan.",
        _EN: "🔕 You already get no follow-up questions, surveys or tips. /start turns them back on.",
    },
    T.START_RESUMED: {
        _NL: "🔔 Vervolgvragen, enquêtes en tips staan weer aan. Uitzetten kan altijd met /stop.",
        _EN: "🔔 Follow-up questions, surveys and tips are on again. /stop turns them off at any time.",
    },
    T.R_SURVEY_QUESTION: {
        _NL: "📝 <b>Hoe vond u de afhandeling?</b>\nUw melding <b>{reference}</b> · {category} in {buurt} is afgehandeld. Bent u tevreden over hoe dat ging? Elke vraag is één tik.",
        _EN: "📝 <b>How was your report handled?</b>\nYour report <b>{reference}</b> · {category} in {buurt} has been resolved. Are you satisfied with how it went? Each question is one tap.",
    },
    T.BTN_SURVEY_YES: {_NL: "👍 Ja, tevreden", _EN: "👍 Yes, satisfied"},
    T.BTN_SURVEY_NO: {_NL: "👎 Nee, niet tevreden", _EN: "👎 No, not satisfied"},
    T.R_SURVEY_REASON_GOOD: {
        _NL: "Fijn! Wat was vooral goed?",
        _EN: "Good to hear! What was best?",
    },
    T.R_SURVEY_REASON_BAD: {
        _NL: "Jammer. Wat ging er vooral mis?",
        _EN: "We are sorry. What went wrong most?",
    },
    T.R_SURVEY_UNSAFE: {
        _NL: "🏘️ <b>Hoe vaak voelt u zich onveilig in uw eigen buurt?</b>",
        _EN: "🏘️ <b>How often do you feel unsafe in your own neighbourhood?</b>",
    },
    T.BTN_UNSAFE_OFTEN: {_NL: "Vaak", _EN: "Often"},
    T.BTN_UNSAFE_SOMETIMES: {_NL: "Soms", _EN: "Sometimes"},
    T.BTN_UNSAFE_NEVER: {_NL: "(Bijna) nooit", _EN: "(Almost) never"},
    T.R_SURVEY_COMMENT: {
        _NL: "✍️ Wilt u nog iets kwijt? Typ het hieronder (hooguit {max} tekens), of sla deze vraag over.",
        _EN: "✍️ Anything else you want to tell us? Type it below (at most {max} characters), or skip this question.",
    },
    T.BTN_SURVEY_SKIP: {_NL: "⏭️ Overslaan", _EN: "⏭️ Skip"},
    T.R_SURVEY_COMMENT_TOO_LONG: {
        _NL: "Uw tekst is {length} tekens; er passen er {max}. Wilt u hem korter maken?",
        _EN: "Your text has {length} characters; {max} fit. Could you make it shorter?",
    },
    T.R_SURVEY_THANKS: {
        _NL: "🙏 Dank u wel voor uw antwoorden! Ze helpen de gemeente en haar partners uw buurt veiliger te maken.",
        _EN: "🙏 Thank you for your answers! They help the municipality and its partners make your neighbourhood safer.",
    },
    T.R_SURVEY_THANKS_COMMENT: {
        _NL: "🙏 Dank u wel voor uw antwoorden! Uw opmerking:\n<blockquote>{comment}</blockquote>",
        _EN: "🙏 Thank you for your answers! Your comment:\n<blockquote>{comment}</blockquote>",
    },
    T.R_SURVEY_REOPENED: {
        _NL: "🔄 We hebben melding <b>{reference}</b> heropend en {partner} gevraagd er opnieuw naar te kijken.",
        _EN: "🔄 We have reopened report <b>{reference}</b> and asked {partner} to look at it again.",
    },
    T.SURVEY_EXPIRED: {
        _NL: "Deze enquête is verlopen; er verandert niets meer.",
        _EN: "This survey has expired; nothing changes any more.",
    },
    T.SURVEY_STALE: {
        _NL: "Deze vraag is al beantwoord of geldt niet meer.",
        _EN: "This question was already answered or no longer applies.",
    },
    T.P_SURVEY_REOPENED: {
        _NL: "🔄 <b>Heropend door de melder</b>: de melder van {reference} is niet tevreden over de afhandeling ({reason}). De melding staat weer open, graag oppakken vóór {due}. Details: /melding {reference}",
        _EN: "🔄 <b>Reopened by the reporter</b>: the reporter of {reference} is not satisfied with how it was handled ({reason}). The report is open again; please claim it before {due}. Details: /melding {reference}",
    },
    T.R_TIP: {
        _NL: "💡 <b>Tip</b> bij uw melding {reference} ({category}):\n{tip}",
        _EN: "💡 <b>Tip</b> for your report {reference} ({category}):\n{tip}",
    },
    T.CMD_TIPS: {_NL: "Overzicht en tips voor uw wijk", _EN: "Digest and tips for your district"},
    T.TIPS_SUBSCRIBED: {
        _NL: "📬 U krijgt voortaan een overzicht van de meldingen in {wijk}, met een tip. Het eerste komt op {date}. Stoppen kan met /tips uit.",
        _EN: "📬 You will now get a digest of the reports in {wijk}, with a tip. The first comes on {date}. /tips off stops it.",
    },
    T.TIPS_ASK_WIJK: {
        _NL: "Van welke wijk wilt u het overzicht krijgen?",
        _EN: "Which district would you like the digest of?",
    },
    T.TIPS_UNSUBSCRIBED: {
        _NL: "📭 U krijgt geen overzicht van uw wijk meer. Met /tips zet u het weer aan.",
        _EN: "📭 You will get no more district digests. /tips turns them on again.",
    },
    T.TIPS_NOT_SUBSCRIBED: {
        _NL: "U krijgt geen overzicht van een wijk. Met /tips zet u het aan.",
        _EN: "You get no district digest. /tips turns it on.",
    },
    T.R_DIGEST: {
        _NL: "📬 <b>Overzicht {wijk}</b>, {since} t/m {until}\n{lines}\nAfgehandeld: {resolved} van {total}.\n\n💡 <b>Tip</b>: {tip}",
        _EN: "📬 <b>Digest {wijk}</b>, {since} to {until}\n{lines}\nResolved: {resolved} of {total}.\n\n💡 <b>Tip</b>: {tip}",
    },
    T.R_DIGEST_LINE: {_NL: "• {category}: {count}", _EN: "• {category}: {count}"},
    T.R_DIGEST_NONE: {
        _NL: "Er zijn in deze periode geen meldingen gedaan in uw wijk.",
        _EN: "No reports were made in your district in this period.",
    },
    T.P_RELAYED_ANSWER: {
        _NL: "💬 <b>Antwoord van de melder</b> op {reference}:\n<blockquote>{text}</blockquote>",
        _EN: "💬 <b>Answer from the reporter</b> on {reference}:\n<blockquote>{text}</blockquote>",
    },
    T.P_RELAYED_QUESTION_SENT: {
        _NL: "❓ Vraag van {name} aan de melder van {reference} is doorgestuurd:\n<blockquote>{text}</blockquote>",
        _EN: "❓ {name}'s question to the reporter of {reference} was passed on:\n<blockquote>{text}</blockquote>",
    },
    T.P_REMINDER: {
        _NL: "⏰ <b>Herinnering</b>: melding <b>{reference}</b> · {category} · {buurt} wacht al {waited} en is nog niet opgepakt (oppakken vóór {due}). Pak hem op met de knop onder de melding, of zet hem door.",
        _EN: "⏰ <b>Reminder</b>: report <b>{reference}</b> · {category} · {buurt} has waited {waited} and is not yet claimed (claim before {due}). Claim it with the button below the report, or forward it.",
    },
    T.P_ESCALATION: {
        _NL: "🚨 <b>Niet opgepakt</b>: melding <b>{reference}</b> · {category} · {buurt} ({wijk}) wacht al {waited} bij {partner}; de herinnering van {reminded} hielp niet. Details: /melding {reference}",
        _EN: "🚨 <b>Not claimed</b>: report <b>{reference}</b> · {category} · {buurt} ({wijk}) has waited {waited} at {partner}; the reminder of {reminded} did not help. Details: /melding {reference}",
    },
    T.P_AGE_DAYS: {_NL: "{days} d {hours} u", _EN: "{days} d {hours} h"},
    T.P_AGE_HOURS: {_NL: "{hours} u {minutes} min", _EN: "{hours} h {minutes} min"},
    T.P_AGE_MINUTES: {_NL: "{minutes} min", _EN: "{minutes} min"},
    T.P_COORDINATOR_ONLY: {
        _NL: "Deze opdracht werkt alleen in de chat van de coördinator.",
        _EN: "This command only works in the coordinator's chat.",
    },
    T.P_OPEN_HEADER: {
        _NL: "📋 <b>Open meldingen</b>: {count}, per partner, oudste eerst",
        _EN: "📋 <b>Open reports</b>: {count}, per partner, oldest first",
    },
    T.P_OPEN_EMPTY: {
        _NL: "📋 Er zijn geen open meldingen.",
        _EN: "📋 There are no open reports.",
    },
    T.P_OPEN_PARTNER: {
        _NL: "\n<b>{partner}</b> ({count})",
        _EN: "\n<b>{partner}</b> ({count})",
    },
    T.P_OPEN_ITEM: {
        _NL: "• {reference} · {category} · {buurt} · {age} · {status}",
        _EN: "• {reference} · {category} · {buurt} · {age} · {status}",
    },
    T.P_OPEN_MORE: {
        _NL: "… en nog {count} meldingen (de oudste staan hierboven; details met /melding &lt;kenmerk&gt;)",
        _EN: "… and {count} more (the oldest are shown above; details with /melding &lt;reference&gt;)",
    },
    T.P_CASE_USAGE: {
        _NL: "Gebruik: /melding &lt;kenmerk&gt;, bijvoorbeeld /melding {example}",
        _EN: "Usage: /melding &lt;reference&gt;, for example /melding {example}",
    },
    T.P_CASE_UNKNOWN: {
        _NL: "Er is geen melding met kenmerk {reference}.",
        _EN: "There is no report with reference {reference}.",
    },
    T.P_CASE_DETAILS: {
        _NL: "📄 <b>Melding {reference}</b> · {category}\n📍 {buurt} ({wijk})\n🕒 Gemeld: {created}\n🏢 Behandelaar: {partner}\n<b>Status:</b> {status}\n🙋 Opgepakt door: {claimed}\n⏰ Oppakken vóór: {due}\n👤 {reporter}\n<blockquote>{description}</blockquote>",
        _EN: "📄 <b>Report {reference}</b> · {category}\n📍 {buurt} ({wijk})\n🕒 Reported: {created}\n🏢 Handled by: {partner}\n<b>Status:</b> {status}\n🙋 Claimed by: {claimed}\n⏰ Claim before: {due}\n👤 {reporter}\n<blockquote>{description}</blockquote>",
    },
    T.P_CASE_NOBODY: {_NL: "nog niemand", _EN: "nobody yet"},
    T.P_CASE_REPORTER_HIDDEN: {
        _NL: "melder blijft anoniem",
        _EN: "the reporter stays anonymous",
    },
    T.P_CASE_REPORTER_ERASED: {
        _NL: "melder heeft de eigen gegevens laten wissen",
        _EN: "the reporter had their data erased",
    },
    T.P_CASE_HISTORY: {_NL: "\n<b>Verloop</b>", _EN: "\n<b>History</b>"},
    T.P_CASE_EVENT: {
        _NL: "{at} · {actor} · {action}",
        _EN: "{at} · {actor} · {action}",
    },
    T.P_CASE_EVENT_DETAIL: {
        _NL: "{at} · {actor} · {action}: {detail}",
        _EN: "{at} · {actor} · {action}: {detail}",
    },
    T.P_CASE_MORE: {
        _NL: "… en nog {count} regels",
        _EN: "… and {count} more lines",
    },
    T.P_ACTOR_SYSTEM: {_NL: "Meldbot", _EN: "Meldbot"},
    T.P_ACTOR_RESIDENT: {_NL: "melder", _EN: "reporter"},
    T.P_ACTOR_CASEWORKER: {_NL: "behandelaar van {partner}", _EN: "caseworker of {partner}"},
    T.P_ACTOR_COORDINATOR: {_NL: "coördinator", _EN: "coordinator"},
    T.P_EVENT_ROUTE: {_NL: "toegewezen volgens regel", _EN: "assigned by rule"},
    T.P_EVENT_CLAIM: {_NL: "opgepakt", _EN: "claimed"},
    T.P_EVENT_FORWARD: {_NL: "doorgezet naar", _EN: "forwarded to"},
    T.P_EVENT_ASK_RESIDENT: {_NL: "vraag aan de melder", _EN: "question to the reporter"},
    T.P_EVENT_RESIDENT_ANSWERED: {_NL: "antwoord van de melder", _EN: "answer from the reporter"},
    T.P_EVENT_QUESTION_EXPIRED: {
        _NL: "vraag onbeantwoord verlopen",
        _EN: "question expired unanswered",
    },
    T.P_EVENT_RESOLVE: {_NL: "afgehandeld", _EN: "resolved"},
    T.P_EVENT_NOT_OURS: {_NL: "niet van ons", _EN: "not ours"},
    T.P_EVENT_REOPEN: {_NL: "heropend", _EN: "reopened"},
    T.P_EVENT_CANCEL: {_NL: "geannuleerd", _EN: "cancelled"},
    T.P_EVENT_REMINDER: {_NL: "herinnering gestuurd aan", _EN: "reminder sent to"},
    T.P_EVENT_ESCALATION: {
        _NL: "gemeld bij de coördinator, niet opgepakt door",
        _EN: "escalated to the coordinator, not claimed by",
    },
    T.P_EVENT_UNDELIVERABLE: {
        _NL: "geen chat om naartoe te sturen voor",
        _EN: "no chat to send to for",
    },
}


def placeholders(template: str) -> set[str]:
    """Return the names of the {placeholders} in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def plain(key: T, language: Language, **values: object) -> str:
    """Render a text for a place without parse mode: button labels, alerts, contact names."""
    return CATALOGUE[key][language].format(**values)


def t(key: T, language: Language, **values: object) -> str:
    """Render a text in a language; values are HTML-escaped unless they are Html."""
    escaped = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return CATALOGUE[key][language].format(**escaped)
