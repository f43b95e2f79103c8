"""Smart form filling (智能填单): a call transcript in, a pre-filled work order out.

Works without a language model: the privacy layer's recognizers for the caller's identity,
the unit directory for places, rules for appeal type, urgency and confidentiality, the
category tree's keywords (and the dispatch catalog when given) for the category, triage for
transfers and legal channels, the time-limit profile and calendar for the due date. Only
what the caller said is filled (see :mod:`assistant.form.caller`); everything else stays
empty and, when the operator still has to ask for it, is listed in ``missing``.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass

from assistant.categories import CategoryTree, default_tree
from assistant.form import summary as summary_mod
from assistant.form.address import address_detail
from assistant.form.appeal import classify_appeal
from assistant.form.caller import caller_id_number, caller_name, caller_phone, in_turns
from assistant.form.category import classify_category, clean_for_category
from assistant.form.draft import WorkOrderDraft
from assistant.form.due import compute_due
from assistant.form.flags import confidential, urgency
from assistant.gazetteer import PlaceMention, PlaceRecognizer
from assistant.jurisdiction import Directory, default_directory
from assistant.transcript import OPERATOR, Transcript, parse_transcript
from assistant.triage import EMERGENCY, TriageResult, triage_report
from assistant.triage.similar import SimilarCalls, add_backstop
from kb.clock import today
from kb.errors import InvalidInput

MAX_TRANSCRIPT_CHARS = 20_000
# appeal types that need the place of the matter to be handled
_PLACE_NEEDED = ("求助", "投诉", "举报")
_DECLINED_NAME = re.compile(
    r"不留名|不说名字|不方便留名|不想留名|不留姓名|不方便说名字|匿名|名字就不说|不说了|不用了"
)


@dataclass
class FillResult:
    """The draft plus what the dispatcher may reuse (place mention, masked caller text)."""

    draft: WorkOrderDraft
    mention: PlaceMention
    caller_text_masked: str
    appeal_text: str  # the matter in the caller's words: masked, no fillers or identity
    text_masked: str
    vault: object  # assistant.privacy.Vault — callback data, never logged
    transcript: Transcript
    matter_text: str = ""  # what dispatch matches and embeds (masked caller words, no fillers)
    triage: TriageResult | None = None  # the rules' verdict, plus the similarity backstop


def _caller_view(text: str, transcript: Transcript) -> str:
    """``text`` with the operator's turns blanked out (same length, same offsets)."""
    chars = list(text)
    for turn in transcript.turns:
        if turn.speaker == OPERATOR:
            for i in range(turn.start, turn.start + len(turn.text)):
                chars[i] = " "
    return "".join(chars)


def _masked_caller_text(transcript: Transcript, text: str, entities) -> str:
    """The caller's turns with every detected value replaced by its placeholder."""
    pieces = []
    for turn in transcript.caller_turns():
        lo, hi = turn.start, turn.start + len(turn.text)
        cursor, out = lo, []
        for ent in entities:
            if lo <= ent.start and ent.end <= hi:
                out.append(text[cursor : ent.start])
                out.append(ent.placeholder)
                cursor = ent.end
        out.append(text[cursor:hi])
        pieces.append("".join(out))
    # turns end with their own punctuation; join the rest with a comma
    return "".join(p if p[-1:] in "。！？!?；;，," else p + "，" for p in pieces if p)


class FormFiller:
    """Fills drafts; build once (directory, category tree, optional catalog matcher)."""

    def __init__(
        self,
        *,
        directory: Directory | None = None,
        tree: CategoryTree | None = None,
        matcher=None,
        use_llm: bool | None = None,
        similar: SimilarCalls | str | None = "default",
    ) -> None:
        self.directory = directory or default_directory()
        self.tree = tree or default_tree()
        self.places = PlaceRecognizer(self.directory)
        self.matcher = matcher
        self.use_llm = use_llm
        # the triage backstop needs the embedder the catalog matcher already uses
        self.similar = similar
        if similar == "default":
            self.similar = _default_similar(matcher)

    def fill(
        self,
        transcript_text: str,
        *,
        accepted_on: dt.date | None = None,
        region: str | None = None,
        session=None,
    ) -> FillResult:
        """Fill a draft from a transcript (free text or 坐席：/市民： turns)."""
        from assistant.privacy import mask

        text = (transcript_text or "").replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise InvalidInput("来电内容为空：请用 --text 或标准输入提供通话文本。")
        if len(text) > MAX_TRANSCRIPT_CHARS:
            raise InvalidInput(f"来电内容过长（{len(text)} 字，上限 {MAX_TRANSCRIPT_CHARS} 字）。")
        accepted_on = accepted_on or today()
        region = region or self.directory.city
        transcript = parse_transcript(text)
        caller_text = transcript.caller_text
        masked = mask(text)
        found = in_turns(transcript, text, masked.entities)
        caller_masked = _masked_caller_text(transcript, text, masked.entities)
        matter_text = summary_mod.clean_words(caller_masked) or transcript.caller_text
        appeal_text = clean_for_category(summary_mod.clean_words(caller_masked))

        draft = WorkOrderDraft(accepted_on=accepted_on)
        draft.caller_name = caller_name(transcript, found)
        draft.phone = caller_phone(found)
        draft.id_number = caller_id_number(found)

        mention = self.places.find(_caller_view(text, transcript))
        draft.province = mention.province
        draft.district = mention.district.name if mention.district else None
        draft.street = mention.street.name if mention.street else None
        draft.city = mention.city or (mention.district.city if mention.district else None)
        draft.notes.extend(mention.notes)
        draft.address_detail = address_detail(transcript, mention.spans, found, text)

        report = triage_report(text)
        if self.similar is not None and transcript.caller_text.strip():
            add_backstop(
                report,
                self.similar,
                lambda: self.matcher.query_vector(matter_text),
                summary_mod.clean_words(caller_masked),
            )
        draft.alerts = [
            {
                "kind": a.kind,
                "target": a.target,
                "reason": a.reason,
                "say": a.say,
                "matched": list(a.matched),
                "rule": a.rule,
            }
            for a in report.alerts
        ]
        draft.transfer = report.transfer
        draft.legal_channel = report.legal_channel
        emergency = draft.transfer is not None
        draft.appeal_type, appeal_cues = classify_appeal(caller_text, emergency=emergency)
        if emergency:
            # the emergency's own category if the tree has one (燃气泄漏, 交通事故); a fire or a
            # collapsed person has none — words around them (公园, 冒黑烟) would only mislead
            first = next(a for a in report.alerts if a.kind == EMERGENCY)
            draft.category_code = first.category
        else:
            guess = classify_category(appeal_text, self.tree, self.matcher)
            draft.category_code = guess.code
        if draft.category_code:
            draft.category_name = self.tree.path_names(draft.category_code)
        draft.urgency, why = urgency(caller_text, emergency=emergency)
        if why and not emergency:
            draft.notes.append(f"紧急：{why}")
            if not any(appeal_cues.values()):
                # 井盖没了，很危险: a safety risk said with no other cue asks for help, it is
                # not a question (咨询 is only the default when nothing at all is said)
                draft.appeal_type = "求助"
        draft.confidential = confidential(caller_text)

        place = draft.street or draft.district
        leaf = self.tree.get(draft.category_code)
        first_alert = next((a for a in report.alerts if a.kind == EMERGENCY), None)
        draft.title = summary_mod.make_title(
            place=place,
            category_name=leaf.name if leaf else None,
            appeal_type=draft.appeal_type,
            alert_rule=first_alert.rule if first_alert else None,
            caller_text_masked=caller_masked,
        )
        draft.summary = summary_mod.make_summary(
            caller_text_masked=caller_masked,
            place="".join(p for p in (draft.district, draft.street) if p) or None,
            appeal_type=draft.appeal_type,
            detail=None,
        )
        if self._llm_enabled():
            improved = summary_mod.improve_with_llm(draft.title, draft.summary, caller_masked)
            if improved:
                draft.title, draft.summary = improved
                draft.llm_used = True

        if draft.district and region == self.directory.city:
            region += draft.district  # a district's own time limits apply to its matters
        draft.due = compute_due(draft.appeal_type, accepted_on, region=region, session=session)
        if draft.due.warning:
            draft.notes.append(draft.due.warning)
        draft.missing = self._missing(draft, caller_text)
        text_masked = masked.text
        return FillResult(
            draft,
            mention,
            caller_masked,
            appeal_text,
            text_masked,
            masked.vault,
            transcript,
            matter_text,
            report,
        )

    def _llm_enabled(self) -> bool:
        if self.use_llm is not None:
            return self.use_llm
        from kb.settings import get_settings

        settings = get_settings()
        return bool(settings.llm_url and settings.llm_model)

    @staticmethod
    def _missing(draft: WorkOrderDraft, caller_text: str) -> list[str]:
        missing = []
        if draft.caller_name is None:
            if _DECLINED_NAME.search(caller_text):
                draft.notes.append("来电人不愿留姓名")
            else:
                missing.append("caller_name")
        if draft.phone is None:
            missing.append("phone")
        if draft.appeal_type in _PLACE_NEEDED or draft.transfer:
            for name in ("district", "street", "address_detail"):
                if getattr(draft, name) is None:
                    missing.append(name)
        if draft.category_code is None and not draft.transfer:
            missing.append("category_code")
        return missing


def _default_similar(matcher) -> SimilarCalls | None:
    """The backstop over the matcher's embedder, with the catalog's phrasings as ordinary
    calls (rows of an emergency's own category, e.g. 燃气泄漏, left out)."""
    if matcher is None or getattr(matcher, "embedder", None) is None:
        return None
    from assistant.triage.rules import default_rules

    emergency_categories = {r.category for r in default_rules().rules if r.category}
    return SimilarCalls(
        matcher.embedder, ordinary_vectors=_LazyPhrasings(matcher, emergency_categories)
    )


class _LazyPhrasings:
    """The catalog phrasing vectors, fetched when the backstop first needs them."""

    def __init__(self, matcher, exclude: set[str]) -> None:
        self.matcher, self.exclude = matcher, exclude

    def vectors(self):
        return self.matcher.phrasing_vectors(self.exclude)


_default: FormFiller | None = None
_lock = threading.Lock()


def default_filler() -> FormFiller:
    """The process-wide filler over the shipped directory and category tree."""
    global _default
    with _lock:
        if _default is None:
            _default = FormFiller()
    return _default


def fill(
    transcript: str,
    *,
    accepted_on: dt.date | None = None,
    region: str = "示例市",
    session=None,
) -> WorkOrderDraft:
    """Fill a work-order draft from ``transcript`` (see :class:`FormFiller`)."""
    return (
        default_filler()
        .fill(transcript, accepted_on=accepted_on, region=region, session=session)
        .draft
    )
