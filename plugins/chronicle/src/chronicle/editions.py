"""The languages the account is published in, and every word the generated pages say in each of them.

One `Words` per edition: a frozen dataclass with no defaults, so an edition that lacks a phrase does not type-check
and cannot be constructed. Dates are written by each language's own rules, independent of the machine's locale:
"Tuesday, 4 January 2022", "вторник, 4 января 2022 г.", "2022 жылғы 4 қаңтар, сейсенбі". Phrases with `{name}`
fields are filled with `str.format` by the renderer, which escapes every value a contributor wrote before it
is put in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .placemap import MapWords
from .problems import Problem
from .schema import STATES, STATUS_LABELS, STATUS_MEANINGS

LANGUAGES = ("en", "ru", "kk")  # English first: the edition the others are translated from
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Words:
    """What the generated pages say, in one language."""

    code: str
    name: str  # the language's name in itself, for the language selector
    permalink_title: str  # the title of a heading's permanent link
    backlink_title: str  # the title of a note's link back to its mark ({}: the note's number)
    # Dates
    weekdays: tuple[str, ...]
    weekdays_short: tuple[str, ...]
    months: tuple[str, ...]  # in the form a date uses ("4 января": genitive in Russian)
    months_short: tuple[str, ...]
    long_date_format: str  # {weekday} {day} {month} {year}
    short_date_format: str  # {day} {month} {year}
    day_short_format: str  # {weekday} {day} {month} (short names)
    # Times
    parts_of_day: dict[str, str]
    about_time: str  # {time}
    time_not_known: str
    # The account
    times_note: str  # {sources}: the link to the list of sources
    days: str
    all_days: str
    legend_heading: str
    legend_intro: str
    status_labels: dict[str, str]
    status_meanings: dict[str, str]
    status_title: str  # {label}
    time: str
    place: str
    status: str
    background: str
    aftermath: str
    edit_event: str
    disputed_title: str
    disputed_text: str
    corrected_title: str
    variants_caption: str
    variants_header: tuple[str, str, str, str]
    passage_summary: str  # {language}
    in_english: str  # {text}
    in_edition: str  # {text}: the words translated into this edition's language
    where_in_source: str  # {locator}
    language_names: dict[str, str]  # as they read in the passage summary's parentheses
    outdated_title: str
    outdated_text: str  # {english}: the link to the English version
    untranslated_title: str
    untranslated_text: str
    untranslated_page: str
    # Citations and sources
    state_owned: str  # {state}
    states: dict[str, str]
    archived_copy: str  # {date}
    archived_copy_at: str  # {service} {date}
    source_details: str
    # The timeline
    timeline_title: str
    timeline_intro: str  # {account}
    timeline_time: str  # {day}
    timeline_event: str
    timeline_background: str
    timeline_aftermath: str
    sources_differ: str
    # The sources
    sources_title: str
    sources_intro: str
    kind_headings: dict[str | None, str]
    publisher: str
    owned_by_label: str
    owned_by: str  # {state}
    authors: str
    published: str
    date_not_known: str
    language: str
    read_source: str
    not_archived: str
    cannot_archive: str  # {note}
    accessed: str  # {date}
    cited_in: str  # {count}
    not_cited: str
    # The places
    places_title: str
    places_intro: str
    coordinates: str  # {lat} {lon} {map}
    on_openstreetmap: str  # {name}
    coordinates_from: str
    an_area: str
    not_on_map: str
    nothing_here: str
    map: MapWords
    # The single file
    offline_about: str  # {date} {origin}
    phone_about: str  # {full}: the phone file says what it leaves to the full file
    from_commit: str  # {commit}
    contents: str
    # The corrections
    corrections_title: str
    corrections_intro: str
    no_corrections: str


ENGLISH = Words(
    code="en",
    name="English",
    permalink_title="Permanent link to this section",
    backlink_title="Jump back to footnote {} in the text",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    weekdays_short=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"),
    months_short=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    long_date_format="{weekday}, {day} {month} {year}",
    short_date_format="{day} {month} {year}",
    day_short_format="{weekday} {day} {month}",
    parts_of_day={"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"},
    about_time="about {time}",
    time_not_known="not known",
    times_note="Times are local Almaty time (UTC+6). Every footnote names its source and links to it and to its "
               "entry in the [list of sources]({sources}); each event's notes follow its text.",
    days="Days",
    all_days="All days",
    legend_heading="How sure we are",
    legend_intro="Each event carries one of these labels; select a label to come back here.",
    status_labels=STATUS_LABELS,
    status_meanings=STATUS_MEANINGS,
    status_title="What “{label}” means",
    time="Time",
    place="Place",
    status="Status",
    background="Background",
    aftermath="Aftermath",
    edit_event="Edit this event",
    disputed_title="Disputed",
    disputed_text="Sources contradict each other on the core of this event. Each version is given below with its "
                  "own citation.",
    corrected_title="Corrected",
    variants_caption="Who says what, and when they said it",
    variants_header=("What", "Version", "Source", "Said on"),
    passage_summary="The source's words ({language})",
    in_english="In English: {text}",
    in_edition="In English: {text}",
    where_in_source="Where in the source: {locator}",
    language_names={"en": "English", "ru": "Russian", "kk": "Kazakh", "uk": "Ukrainian", "ky": "Kyrgyz",
                    "uz": "Uzbek", "zh": "Chinese", "fr": "French", "de": "German"},
    outdated_title="This translation may be out of date",
    outdated_text="The English text of this event has changed since it was translated. {english}.",
    untranslated_title="Not translated yet",
    untranslated_text="This event has not been translated yet: it is shown in English.",
    untranslated_page="This page has not been translated yet: it is shown in English.",
    state_owned="{state} state-owned",
    states=STATES,
    archived_copy="archived copy, {date}",
    archived_copy_at="archived copy, {service}, {date}",
    source_details="Source details",
    timeline_title="Timeline",
    timeline_intro="Every event of the [account]({account}), in order. Times are local Almaty time (UTC+6).",
    timeline_time="Time, {day}",
    timeline_event="Event",
    timeline_background="background",
    timeline_aftermath="aftermath",
    sources_differ="sources differ",
    sources_title="Sources",
    sources_intro="Every source the account cites, with its full citation and the events that cite it.",
    kind_headings={"eyewitness": "Eyewitness accounts", "reportage": "Reportage", "wire": "News agencies",
                   "official": "Official statements", "analysis": "Analysis",
                   "ngo-report": "Human-rights organisations", None: "Other sources"},
    publisher="Publisher",
    owned_by_label="Owned by",
    owned_by="the {state} state",
    authors="Authors",
    published="Published",
    date_not_known="date not known",
    language="Language",
    read_source="Read the source",
    not_archived="not archived yet",
    cannot_archive="cannot be archived: {note}",
    accessed="accessed {date}",
    cited_in="Events that cite it ({count}):",
    not_cited="Not cited by any event.",
    places_title="Places",
    places_intro="Where the events of the account happened. The maps show the places whose coordinates come from "
                 "a cited map or gazetteer (numbers on the map are explained below it; choose a day to see only "
                 "its places and events). Each place below links to OpenStreetMap where it has coordinates.",
    coordinates="Coordinates: {lat}, {lon} ({map})",
    on_openstreetmap="{name} on OpenStreetMap",
    coordinates_from="where they come from",
    an_area="An area, not a single point: not on the map.",
    not_on_map="Not on the map yet: no checked coordinates.",
    nothing_here="No event of the account happened here.",
    map=MapWords(),
    offline_about="Offline edition of {date}{origin}. This file loads nothing from any network: links to sources are "
                  "printed as addresses, not followed.",
    phone_about="This is the edition for phones: each note names its source and date, and the source's full entry, "
                "with its title and address, is under Sources. The sources' own words beside each note are in the "
                "full file, {full}.",
    from_commit=" from commit {commit}",
    contents="Contents",
    corrections_title="Corrections",
    corrections_intro="When an event is corrected after publication, the change is noted on the event and listed "
                      "here, newest first. Event links never change.",
    no_corrections="No event has been corrected yet.",
)

RUSSIAN = Words(
    code="ru",
    name="Русский",
    permalink_title="Постоянная ссылка на этот раздел",
    backlink_title="Вернуться к сноске {} в тексте",
    weekdays=("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    weekdays_short=("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    months=("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
            "ноября", "декабря"),
    months_short=("янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.",
                  "дек."),
    long_date_format="{weekday}, {day} {month} {year} г.",
    short_date_format="{day} {month} {year} г.",
    day_short_format="{weekday}, {day} {month}",
    parts_of_day={"morning": "утро", "afternoon": "день", "evening": "вечер", "night": "ночь"},
    about_time="около {time}",
    time_not_known="неизвестно",
    times_note="Время везде местное, алматинское (UTC+6). Каждая сноска называет источник и ведёт к нему и к его "
               "записи в [списке источников]({sources}); сноски к событию идут сразу после его текста.",
    days="Дни",
    all_days="Все дни",
    legend_heading="Насколько мы уверены",
    legend_intro="У каждого события есть одна из этих пометок; нажмите на пометку, чтобы вернуться сюда.",
    status_labels={"observed": "Видели журналисты", "reported": "Сообщается",
                   "official-claim": "Официальная версия", "disputed": "Оспаривается"},
    status_meanings={
        "observed": "видели журналисты или очевидцы, на которых ссылается источник",
        "reported": "сообщает источник, но его журналисты сами этого не видели",
        "official-claim": "заявление официального органа или лица; независимо не подтверждено",
        "disputed": "источники расходятся в главном",
    },
    status_title="Что означает «{label}»",
    time="Время",
    place="Место",
    status="Статус",
    background="Предыстория",
    aftermath="Последствия",
    edit_event="Исправить это событие",
    disputed_title="Оспаривается",
    disputed_text="Источники расходятся в главном. Ниже приведена каждая версия со ссылкой на её источник.",
    corrected_title="Исправлено",
    variants_caption="Кто что говорит и когда",
    variants_header=("Что", "Версия", "Источник", "Когда сказано"),
    passage_summary="Слова источника ({language})",
    in_english="По-английски: {text}",
    in_edition="Перевод: {text}",
    where_in_source="Где в источнике: {locator}",
    language_names={"en": "на английском", "ru": "на русском", "kk": "на казахском", "uk": "на украинском",
                    "ky": "на кыргызском", "uz": "на узбекском", "zh": "на китайском", "fr": "на французском",
                    "de": "на немецком"},
    outdated_title="Перевод мог устареть",
    outdated_text="Английский текст этого события изменился после перевода. {english}.",
    untranslated_title="Ещё не переведено",
    untranslated_text="Это событие ещё не переведено на русский: оно показано по-английски.",
    untranslated_page="Эта страница ещё не переведена на русский: она показана по-английски.",
    state_owned="государственное СМИ: {state}",
    states={"KZ": "Казахстан", "RU": "Россия", "BY": "Беларусь", "CN": "Китай", "KG": "Кыргызстан",
            "UZ": "Узбекистан", "TR": "Турция", "IR": "Иран", "QA": "Катар", "UA": "Украина", "AM": "Армения"},
    archived_copy="архивная копия, {date}",
    archived_copy_at="архивная копия, {service}, {date}",
    source_details="Об источнике",
    timeline_title="Хронология",
    timeline_intro="Все события [рассказа]({account}) по порядку. Время местное, алматинское (UTC+6).",
    timeline_time="Время, {day}",
    timeline_event="Событие",
    timeline_background="предыстория",
    timeline_aftermath="последствия",
    sources_differ="источники расходятся",
    sources_title="Источники",
    sources_intro="Все источники, на которые ссылается рассказ, с полным описанием и событиями, где они цитируются.",
    kind_headings={"eyewitness": "Свидетельства очевидцев", "reportage": "Репортажи", "wire": "Информагентства",
                   "official": "Официальные заявления", "analysis": "Аналитика",
                   "ngo-report": "Правозащитные организации", None: "Другие источники"},
    publisher="Издатель",
    owned_by_label="Владелец",
    owned_by="государство ({state})",
    authors="Авторы",
    published="Опубликовано",
    date_not_known="дата неизвестна",
    language="Язык",
    read_source="Открыть источник",
    not_archived="архивной копии пока нет",
    cannot_archive="архивировать нельзя: {note}",
    accessed="просмотрено {date}",
    cited_in="Цитируется в событиях ({count}):",
    not_cited="Ни одно событие на него не ссылается.",
    places_title="Места",
    places_intro="Где происходили события рассказа. На картах показаны места, координаты которых взяты из "
                 "указанной карты или справочника (номера на карте поясняются под ней; выберите день, чтобы "
                 "увидеть только его места и события). У каждого места с координатами есть ссылка на "
                 "OpenStreetMap.",
    coordinates="Координаты: {lat}, {lon} ({map})",
    on_openstreetmap="{name} на OpenStreetMap",
    coordinates_from="откуда они взяты",
    an_area="Район, а не точка: на карте не отмечен.",
    not_on_map="Пока не на карте: координаты не проверены.",
    nothing_here="Событий рассказа здесь не происходило.",
    map=MapWords(show="Показать на карте:", all_days="Все дни", caption_all="Алматы, все дни.",
                 caption_day="Алматы, {day}: цифрами отмечены места событий этого дня, кружками — остальные места.",
                 elsewhere="Другие места", elsewhere_caption="Другие места в Казахстане и за его пределами.",
                 title="Карта, {view}: {names}", one_event="событий: 1", events="событий: {count}", km="км",
                 north="С ↑"),
    offline_about="Офлайн-версия от {date}{origin}. Этот файл ничего не загружает из сети: адреса источников "
                  "напечатаны, а не открываются по ссылке.",
    phone_about="Это версия для телефона: в каждом примечании указаны источник и дата, а полное описание источника, "
                "с заголовком и адресом, находится в разделе «Источники». Слова самих источников к каждому "
                "примечанию приведены в полном файле {full}.",
    from_commit=", коммит {commit}",
    contents="Содержание",
    corrections_title="Исправления",
    corrections_intro="Если событие исправлено после публикации, исправление отмечается в самом событии и "
                      "вносится сюда, новые сверху. Ссылки на события не меняются. Пояснения к исправлениям, как "
                      "и варианты в таблицах «Кто что говорит», пока приводятся на английском.",
    no_corrections="Ни одно событие пока не исправлялось.",
)

KAZAKH = Words(
    code="kk",
    name="Қазақша",
    permalink_title="Осы бөлімге тұрақты сілтеме",
    backlink_title="Мәтіндегі {}-ескертпеге оралу",
    weekdays=("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"),
    weekdays_short=("дс", "сс", "ср", "бс", "жм", "сб", "жс"),
    months=("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
            "қараша", "желтоқсан"),
    months_short=("қаң.", "ақп.", "нау.", "сәу.", "мам.", "мау.", "шіл.", "там.", "қыр.", "қаз.", "қар.", "жел."),
    long_date_format="{year} жылғы {day} {month}, {weekday}",
    short_date_format="{year} жылғы {day} {month}",
    day_short_format="{day} {month}, {weekday}",
    parts_of_day={"morning": "таңертең", "afternoon": "түстен кейін", "evening": "кешке", "night": "түнде"},
    about_time="шамамен {time}",
    time_not_known="белгісіз",
    times_note="Уақыт барлық жерде Алматы уақытымен (UTC+6) берілген. Әр ескертпе дереккөзді атап, соған және "
               "оның [дереккөздер тізіміндегі]({sources}) жазбасына сілтеме береді; оқиғаның ескертпелері оның "
               "мәтінінен кейін бірден тұрады.",
    days="Күндер",
    all_days="Барлық күн",
    legend_heading="Қаншалықты сенімдіміз",
    legend_intro="Әр оқиғада осы белгілердің бірі бар; осында қайту үшін белгіні басыңыз.",
    status_labels={"observed": "Тілшілер көрді", "reported": "Хабарланған", "official-claim": "Ресми нұсқа",
                   "disputed": "Даулы"},
    status_meanings={
        "observed": "дереккөздің тілшілері немесе ол сілтеме жасаған куәгерлер өз көзімен көрген",
        "reported": "дереккөз хабарлаған, бірақ оның тілшілері өздері көрмеген",
        "official-claim": "ресми орган немесе лауазымды тұлға мәлімдеген; тәуелсіз расталмаған",
        "disputed": "дереккөздер басты мәселеде бір-біріне қайшы",
    },
    status_title="«{label}» нені білдіреді",
    time="Уақыты",
    place="Орны",
    status="Мәртебесі",
    background="Алғышарттар",
    aftermath="Салдары",
    edit_event="Бұл оқиғаны түзету",
    disputed_title="Даулы",
    disputed_text="Дереккөздер бұл оқиғаның басты мәселесінде бір-біріне қайшы. Төменде әр нұсқа өз "
                  "дереккөзімен берілген.",
    corrected_title="Түзетілді",
    variants_caption="Кім не дейді және қашан айтқан",
    variants_header=("Не туралы", "Нұсқа", "Дереккөз", "Айтылған күні"),
    passage_summary="Дереккөздің сөзі ({language})",
    in_english="Ағылшынша: {text}",
    in_edition="Аудармасы: {text}",
    where_in_source="Дереккөздің қай жерінде: {locator}",
    language_names={"en": "ағылшын тілінде", "ru": "орыс тілінде", "kk": "қазақ тілінде", "uk": "украин тілінде",
                    "ky": "қырғыз тілінде", "uz": "өзбек тілінде", "zh": "қытай тілінде", "fr": "француз тілінде",
                    "de": "неміс тілінде"},
    outdated_title="Аударма ескірген болуы мүмкін",
    outdated_text="Бұл оқиғаның ағылшынша мәтіні аударылғаннан кейін өзгерді. {english}.",
    untranslated_title="Әлі аударылмаған",
    untranslated_text="Бұл оқиға қазақ тіліне әлі аударылмаған: ол ағылшынша көрсетілген.",
    untranslated_page="Бұл бет қазақ тіліне әлі аударылмаған: ол ағылшынша көрсетілген.",
    state_owned="мемлекеттік БАҚ: {state}",
    states={"KZ": "Қазақстан", "RU": "Ресей", "BY": "Беларусь", "CN": "Қытай", "KG": "Қырғызстан",
            "UZ": "Өзбекстан", "TR": "Түркия", "IR": "Иран", "QA": "Катар", "UA": "Украина", "AM": "Армения"},
    archived_copy="мұрағат көшірмесі, {date}",
    archived_copy_at="мұрағат көшірмесі, {service}, {date}",
    source_details="Дереккөз туралы",
    timeline_title="Хронология",
    timeline_intro="[Баяндаудағы]({account}) барлық оқиға ретімен. Уақыт Алматы уақытымен (UTC+6).",
    timeline_time="Уақыты, {day}",
    timeline_event="Оқиға",
    timeline_background="алғышарттар",
    timeline_aftermath="салдары",
    sources_differ="дереккөздер әртүрлі",
    sources_title="Дереккөздер",
    sources_intro="Баяндау сілтеме жасайтын барлық дереккөз: толық сипаттамасы және оларға сілтеме жасайтын "
                  "оқиғалар.",
    kind_headings={"eyewitness": "Куәгерлердің айғақтары", "reportage": "Репортаждар", "wire": "Ақпарат агенттіктері",
                   "official": "Ресми мәлімдемелер", "analysis": "Талдау",
                   "ngo-report": "Құқық қорғау ұйымдары", None: "Басқа дереккөздер"},
    publisher="Баспагер",
    owned_by_label="Иесі",
    owned_by="мемлекет ({state})",
    authors="Авторлары",
    published="Жарияланған",
    date_not_known="күні белгісіз",
    language="Тілі",
    read_source="Дереккөзді ашу",
    not_archived="мұрағат көшірмесі әзірге жоқ",
    cannot_archive="мұрағаттау мүмкін емес: {note}",
    accessed="қаралған күні: {date}",
    cited_in="Сілтеме жасайтын оқиғалар ({count}):",
    not_cited="Бірде-бір оқиға бұған сілтеме жасамайды.",
    places_title="Орындар",
    places_intro="Баяндаудағы оқиғалар болған жерлер. Карталарда координаттары сілтеме жасалған картадан немесе "
                 "анықтамалықтан алынған орындар көрсетілген (картадағы нөмірлер оның астында түсіндірілген; тек "
                 "бір күннің орындары мен оқиғаларын көру үшін сол күнді таңдаңыз). Координаттары бар әр орынның "
                 "OpenStreetMap сілтемесі бар.",
    coordinates="Координаттары: {lat}, {lon} ({map})",
    on_openstreetmap="OpenStreetMap картасындағы {name}",
    coordinates_from="қайдан алынған",
    an_area="Бір нүкте емес, аумақ: картада белгіленбеген.",
    not_on_map="Әзірге картада жоқ: координаттары тексерілмеген.",
    nothing_here="Баяндаудағы бірде-бір оқиға мұнда болған жоқ.",
    map=MapWords(show="Картадан көрсету:", all_days="Барлық күн", caption_all="Алматы, барлық күн.",
                 caption_day="Алматы, {day}: нөмірлер — сол күнгі оқиғалар болған жерлер, шеңберлер — басқа орындар.",
                 elsewhere="Басқа жерлер", elsewhere_caption="Қазақстанның басқа жерлері және шетел.",
                 title="Карта, {view}: {names}", one_event="1 оқиға", events="{count} оқиға", km="км",
                 north="С ↑"),
    offline_about="Офлайн нұсқа, {date}{origin}. Бұл файл желіден ештеңе жүктемейді: дереккөздердің мекенжайлары "
                  "сілтеме ретінде ашылмайды, мәтін ретінде басылған.",
    phone_about="Бұл — телефонға арналған нұсқа: әр ескертпеде дереккөз бен оның күні ғана көрсетілген, ал "
                "дереккөздің тақырыбы мен мекенжайы бар толық сипаттамасы «Дереккөздер» бөлімінде. Әр ескертпеге "
                "қатысты дереккөздердің өз сөздері толық файлда берілген: {full}.",
    from_commit=", {commit} коммиті",
    contents="Мазмұны",
    corrections_title="Түзетулер",
    corrections_intro="Оқиға жарияланғаннан кейін түзетілсе, түзету оқиғаның өзінде белгіленіп, осында жаңасы "
                      "жоғарыда тізіледі. Оқиғалардың сілтемелері өзгермейді. Түзетулердің түсіндірмелері, "
                      "«Кім не дейді» кестелеріндегі нұсқалар сияқты, әзірге ағылшын тілінде берілген.",
    no_corrections="Әзірге бірде-бір оқиға түзетілмеген.",
)

WORDS = {words.code: words for words in (ENGLISH, RUSSIAN, KAZAKH)}


def words(language: str) -> Words:
    """The words of an edition (`language` is checked by the plugin's config: one of LANGUAGES)."""
    return WORDS[language]


@lru_cache(maxsize=4096)
def short_date(day: dt.date, language: str = SOURCE_LANGUAGE) -> str:
    """"4 January 2022", "4 января 2022 г.", "2022 жылғы 4 қаңтар"."""
    w = WORDS[language]
    return w.short_date_format.format(day=day.day, month=w.months[day.month - 1], year=day.year)


@lru_cache(maxsize=4096)
def long_date(day: dt.date, language: str = SOURCE_LANGUAGE) -> str:
    """The date with its weekday: "Tuesday, 4 January 2022"."""
    w = WORDS[language]
    return w.long_date_format.format(weekday=w.weekdays[day.weekday()], day=day.day, month=w.months[day.month - 1],
                                     year=day.year)


def day_short(day: dt.date, language: str = SOURCE_LANGUAGE) -> str:
    """A day in a row of links: "Tue 4 Jan", "вт, 4 янв.", "4 қаң., сс"."""
    w = WORDS[language]
    return w.day_short_format.format(weekday=w.weekdays_short[day.weekday()], day=day.day,
                                     month=w.months_short[day.month - 1])


def time_label(precision: str | None, hhmm: str, language: str = SOURCE_LANGUAGE) -> str:
    """An event's time as precisely as it is known, in `language`: "18:30", "about 18:30", "evening", or ""."""
    w = WORDS[language]
    if precision in w.parts_of_day:
        return w.parts_of_day[precision]
    if not hhmm:
        return ""
    return w.about_time.format(time=hhmm) if precision == "approximate" else hhmm


@dataclass(frozen=True)
class EditionDocs:
    """Which hand-written file each page of an edition is read from."""

    translated: dict[str, Path]  # page (its path in docs/) -> the translation read in its place
    untranslated: tuple[str, ...]  # pages shown in English, with a notice
    hidden: tuple[str, ...]  # files in a language's folder: never pages of their own, in any edition
    orphans: tuple[Path, ...] = ()  # translations of no English page (refused: nothing is dropped unsaid)


def edition_docs(docs_dir: Path, files: list[Path], language: str) -> EditionDocs:
    """Each hand-written page of the `language` edition: `docs/<language>/<page>` where it exists, else the English
    page. `files`: every file of docs/ (already walked and accepted: inside the tree, no links)."""
    uris = {path.relative_to(docs_dir).as_posix(): path for path in files}
    folders = tuple(f"{code}/" for code in LANGUAGES if code != SOURCE_LANGUAGE)
    hidden = tuple(sorted(uri for uri in uris if uri.startswith(folders)))
    translated: dict[str, Path] = {}
    untranslated: list[str] = []
    if language != SOURCE_LANGUAGE:
        for uri in sorted(uris):
            if uri.startswith(folders) or not uri.endswith(".md"):
                continue
            path = uris.get(f"{language}/{uri}")
            if path is not None:
                translated[uri] = path
            else:
                untranslated.append(uri)
    english = {uri for uri in uris if not uri.startswith(folders)}
    orphans = tuple(uris[uri] for uri in hidden if not uri.endswith(".md") or uri.split("/", 1)[1] not in english)
    return EditionDocs(translated, tuple(untranslated), hidden, orphans)


def orphan_problems(edition: EditionDocs, docs_dir: Path) -> list[Problem]:
    """A translated page must have the name of the English page it translates."""
    return [Problem(path, 1, (f"no English page {path.relative_to(docs_dir).as_posix().split('/', 1)[1]!r} in "
                              f"{docs_dir.name}/: a translated page has the name of the page it translates")
                    if path.suffix == ".md" else "only translated pages (.md) go in a language's folder: images and "
                    "stylesheets are shared by every edition, keep them outside it", code="translation")
            for path in edition.orphans]
