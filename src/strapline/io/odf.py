"""IOC Olympic Data Feed (ODF) XML: DT_PARTIC, DT_RESULT, DT_RANKING and DT_MEDALS messages.

The message type is OdfBody@DocumentType; the unit it is about is OdfBody@DocumentCode, a Results
System Code (RSC): discipline (3 characters), gender (1), event (padded with '-'), phase (4) and
unit (8), e.g. "STKMSINGLES500M-----------FNL-000100--" is short track, men, 500 m, final, unit 1
(Final A). Phase and unit are always the last 12 characters, whatever the length of the event part.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from strapline.domain.diagnostics import DataError
from strapline.domain.model import (
    Athlete,
    Competition,
    Event,
    EventKind,
    Gender,
    MedalCount,
    Race,
    RaceStatus,
    RaceTime,
    RecordMark,
    ResultRow,
    ResultStatus,
    Round,
    RoundKind,
    Standing,
    Standings,
    StartEntry,
    Team,
)
from strapline.io import values
from strapline.io.common import (
    Collector,
    ImportContext,
    ImportResult,
    check_race,
    derived_id,
    event_info,
    race_id,
    read_nation,
)
from strapline.io.xmlsafe import Node, parse_xml

_PHASES: dict[str, RoundKind] = {
    "HEAT": RoundKind.HEATS,
    "HT--": RoundKind.HEATS,
    "QFNL": RoundKind.QUARTERFINAL,
    "SFNL": RoundKind.SEMIFINAL,
    "REP-": RoundKind.REPECHAGE,
    "REPE": RoundKind.REPECHAGE,
    "RPCH": RoundKind.REPECHAGE,
    "PREL": RoundKind.PRELIMINARIES,
    "FNL-": RoundKind.FINAL,
    "FNLA": RoundKind.FINAL_A,
    "FNLB": RoundKind.FINAL_B,
    "FNLC": RoundKind.FINAL_C,
    "FNLD": RoundKind.FINAL_D,
    "RKFN": RoundKind.RANKING_FINAL,
}
_FINALS = [RoundKind.FINAL_A, RoundKind.FINAL_B, RoundKind.FINAL_C, RoundKind.FINAL_D]

_ODF_STATUS: dict[str, RaceStatus] = {
    "START_LIST": RaceStatus.START_LIST,
    "LIVE": RaceStatus.LIVE,
    "INTERMEDIATE": RaceStatus.LIVE,
    "PARTIAL": RaceStatus.LIVE,
    "UNCONFIRMED": RaceStatus.UNOFFICIAL,
    "UNOFFICIAL": RaceStatus.UNOFFICIAL,
    "PROTESTED": RaceStatus.UNOFFICIAL,
    "OFFICIAL": RaceStatus.OFFICIAL,
}

# IRM codes of short track beside the model's result codes: a red card disqualifies.
_IRM_EXTRA: dict[str, ResultStatus] = {"RC": ResultStatus.DQ, "DSQ": ResultStatus.DQ}


class Rsc(BaseModel):
    """What a Results System Code says about a unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    discipline: str
    gender: Gender | None
    event: str
    distance_m: int | None
    relay: bool
    phase: str
    round: RoundKind
    unit: int


def decode_rsc(code: str) -> Rsc:
    """Decode an RSC such as "STKMSINGLES500M-----------FNL-000100--"; ValueError if malformed."""
    c = code.strip().upper()
    if len(c) < 16 or not re.fullmatch(r"[A-Z0-9-]+", c):
        raise ValueError(f"{code!r} is not a Results System Code")
    discipline, gender_code = c[:3], c[3]
    event = c[4:-12].strip("-")
    phase = c[-12:-8]
    unit_text = c[-8:]
    gender = {"M": Gender.MEN, "W": Gender.WOMEN, "X": Gender.MIXED}.get(gender_code)
    m = re.search(r"(\d{3,5})M", event)
    distance = int(m[1]) if m else None
    digits = re.match(r"(\d{4})", unit_text)
    unit = int(digits[1]) if digits else 0
    kind = _PHASES.get(phase, RoundKind.OTHER)
    if kind is RoundKind.FINAL and 1 <= unit <= len(_FINALS):
        kind = _FINALS[unit - 1]
    return Rsc(
        code=c,
        discipline=discipline,
        gender=gender,
        event=event,
        distance_m=distance,
        relay="RELAY" in event or "TEAM" in event,
        phase=phase.strip("-"),
        round=kind,
        unit=unit,
    )


def load_odf(path: Path, data: bytes, context: ImportContext) -> ImportResult:
    source = str(path)
    root = parse_xml(data, source)
    body = root if root.tag == "OdfBody" else next(iter(root.iter("OdfBody")), None)
    if body is None:
        raise DataError(source, root.where, f"not an ODF message (root element {root.tag})")
    doc_type = body.get("DocumentType")
    reader = _ODF_READERS.get(doc_type)
    if reader is None:
        known = ", ".join(_ODF_READERS)
        raise DataError(
            source, body.where, f"DocumentType {doc_type!r} is not read (Strapline reads {known})"
        )
    competition_node = body.find("Competition")
    if competition_node is None:
        raise DataError(source, body.where, "no Competition element")
    odf = _Odf(source, body, competition_node, context)
    return reader(odf)


class _Odf:
    def __init__(self, source: str, body: Node, comp: Node, context: ImportContext) -> None:
        self.source = source
        self.body = body
        self.comp = comp
        self.context = context
        self.collector = Collector(source)

    def fail(self, node: Node, message: str) -> DataError:
        return DataError(self.source, node.where, message)

    def competition(self, **fields: object) -> Competition:
        code = self.body.get("CompetitionCode")
        name = self.context.competition
        venue = ""
        infos = self.comp.find("ExtendedInfos")
        if infos is not None:
            vd = infos.find("VenueDescription")
            if vd is not None:
                venue = vd.get("VenueName") or vd.get("Venue")
        return Competition(
            id=values.slug(code) or values.slug(name) or "competition",
            name=name,
            venue=venue,
            **fields,  # type: ignore[arg-type]
        )

    def rsc(self) -> Rsc | None:
        code = self.body.get("DocumentCode")
        if not code:
            return None
        try:
            return decode_rsc(code)
        except ValueError as exc:
            self.collector.warn(self.body.where, f"DocumentCode: {exc}")
            return None

    def sport_description(self) -> Node | None:
        infos = self.comp.find("ExtendedInfos")
        return infos.find("SportDescription") if infos is not None else None

    def status(self) -> RaceStatus:
        if self.context.status is not None:
            return self.context.status
        raw = self.body.get("ResultStatus").upper()
        if not raw:
            return (
                RaceStatus.OFFICIAL
                if self.body.get("DocumentType") != "DT_RESULT"
                else (RaceStatus.UNOFFICIAL)
            )
        status = _ODF_STATUS.get(raw)
        if status is None:
            raise self.fail(self.body, f"ResultStatus {raw!r} is not an ODF result status")
        return status

    def competitor(self, node: Node, relay: bool, gender: Gender | None) -> Athlete | Team:
        code = node.get("Code")
        nation = read_nation(node.get("Organisation"), self.collector, node.where)
        helmet = self.int_attr(node, "Bib")
        athletes: list[Athlete] = []
        composition = node.find("Composition")
        if composition is not None:
            for a in composition.findall("Athlete"):
                athletes.append(self.athlete(a, nation, gender))
        kind = node.get("Type").upper()
        if kind == "T" or (relay and kind != "A"):
            desc = node.find("Description")
            name = (desc.get("TeamName") if desc is not None else "") or nation or code
            if not name:
                raise self.fail(node, "team has no name, code or organisation")
            return Team(
                id=code or f"{nation or values.slug(name)}-team",
                nation=nation,
                name=name,
                members=athletes,
                helmet=helmet,
            )
        if athletes:
            first = athletes[0]
            if helmet is not None and first.helmet is None:
                first = first.model_copy(update={"helmet": helmet})
            if code and first.id != code and not composition_has_codes(composition):
                first = first.model_copy(update={"id": code})
            return first
        if not code:
            raise self.fail(node, "competitor has neither a Code nor an athlete")
        # A bare code: the participants file (DT_PARTIC) supplies the name when loaded with it.
        return Athlete(id=code, family_name=code, nation=nation, helmet=helmet, gender=gender)

    def athlete(self, node: Node, nation: str | None, gender: Gender | None) -> Athlete:
        desc = node.find("Description")
        if desc is None:
            desc = node
        family = desc.get("FamilyName")
        given = desc.get("GivenName")
        code = node.get("Code")
        own_nation = desc.get("Organisation")
        if own_nation:
            nation = read_nation(own_nation, self.collector, desc.where)
        if not family and not given:
            if not code:
                raise self.fail(desc, "athlete has no FamilyName, GivenName or Code")
            family = code
        g = values.parse_gender(desc.get("Gender")) or gender
        return Athlete(
            id=code or derived_id(family or given, given if family else "", nation),
            family_name=family or given,
            given_name=given if family else "",
            original_name=desc.get("PrintName") or _print_name(family, given),
            nation=nation,
            helmet=self.int_attr(node, "Bib"),
            gender=g if g is not Gender.MIXED else None,
        )

    def int_attr(self, node: Node, name: str) -> int | None:
        raw = node.get(name)
        if not raw:
            return None
        try:
            return values.parse_int(raw, name)
        except ValueError as exc:
            raise self.fail(node, f"@{name}: {exc}") from None


def _print_name(family: str, given: str) -> str:
    """The name as results lists print it: FAMILY Given."""
    return f"{family.upper()} {given}".strip() if family else given


def composition_has_codes(composition: Node | None) -> bool:
    return composition is not None and any(a.get("Code") for a in composition.findall("Athlete"))


def _result_row(odf: _Odf, node: Node, relay: bool, gender: Gender | None) -> ResultRow:
    competitor_node = node.find("Competitor")
    if competitor_node is None:
        raise odf.fail(node, "Result has no Competitor")
    competitor = odf.competitor(competitor_node, relay, gender)
    place: int | None = None
    tie = node.get("RankEqual").upper() in ("Y", "YES", "TRUE", "1")
    status: ResultStatus | None = None
    as_written: dict[str, str] = {}

    def keep(field: str, attribute: str, raw: str, problem: str) -> None:
        # An attribute not understood keeps its row: kept as written, with a warning.
        as_written[field] = raw
        odf.collector.warn(node.where, f"@{attribute}: {problem}; kept as written")

    rank = node.get("Rank")
    if rank:
        try:
            place, tie_mark, status = values.parse_place(rank)
            tie = tie or tie_mark
        except ValueError as exc:
            keep("place", "Rank", rank, str(exc))
    irm = node.get("IRM").upper()
    if irm:
        code = values.parse_status(irm) or _IRM_EXTRA.get(irm)
        if code is None:
            keep("status", "IRM", irm, f"{irm!r} is not a known result code")
        else:
            status = code
    time: RaceTime | None = None
    record: RecordMark | None = None
    raw = node.get("Result")
    if raw:
        code = values.parse_status(raw)
        if code is not None:
            status = status or code
        else:
            try:
                time, record = values.parse_time(raw)
            except ValueError as exc:
                keep("time", "Result", raw, str(exc))
    for indicator in node.iter("RecordIndicator"):
        mark = indicator.get("Code").upper()
        if mark in RecordMark.__members__:
            record = RecordMark(mark)
    qualification = None
    if node.get("QualificationMark"):
        try:
            qualification = values.parse_qualification(node.get("QualificationMark"))
        except ValueError as exc:
            keep("qualification", "QualificationMark", node.get("QualificationMark"), str(exc))
    start = odf.int_attr(node, "StartOrder") or None
    return ResultRow(
        competitor=competitor,
        place=place,
        tie=tie,
        start_position=start,
        time=time,
        record=record,
        status=status,
        qualification=qualification,
        as_written=as_written,
    )


def _event_for(odf: _Odf, rsc: Rsc | None) -> tuple[Event, Round, int]:
    desc = odf.sport_description()
    event_name = desc.get("EventName") if desc is not None else ""
    sub = desc.get("SubEventName") if desc is not None else ""
    ctx = odf.context
    if rsc is not None:
        update: dict[str, object] = {}
        if ctx.gender is None and rsc.gender is not None:
            update["gender"] = rsc.gender
        if ctx.distance_m is None and rsc.distance_m is not None:
            update["distance_m"] = rsc.distance_m
        if ctx.relay is None and rsc.relay:
            update["relay"] = True
        ctx = ctx.model_copy(update=update)
    if desc is not None and ctx.gender is None:
        g = values.parse_gender(desc.get("Gender"))
        if g is not None:
            ctx = ctx.model_copy(update={"gender": g})
    info = event_info(ctx, event_name)
    if ctx.round:
        rnd = Round(kind=values.parse_round(ctx.round), label=ctx.round)
    elif sub and values.parse_round(sub) is not RoundKind.OTHER:
        rnd = Round(kind=values.parse_round(sub), label=sub)
    elif rsc is not None:
        label = rsc.round.display if rsc.round is not RoundKind.OTHER else rsc.phase
        rnd = Round(kind=rsc.round, label=sub or label)
    else:
        rnd = Round(kind=RoundKind.OTHER, label=sub)
    number = ctx.race or (rsc.unit if rsc is not None and rsc.unit >= 1 else 1)
    if rnd.kind.is_final:
        number = ctx.race or 1
    event = Event(
        id=info.id,
        name=info.name,
        gender=info.gender,
        distance_m=info.distance_m,
        kind=info.kind,
    )
    return event, rnd, number


def _scheduled(odf: _Odf) -> dt.datetime | None:
    infos = odf.comp.find("ExtendedInfos")
    node = infos.find("UnitDateTime") if infos is not None else None
    if node is None or not node.get("StartDate"):
        return None
    try:
        return dt.datetime.fromisoformat(node.get("StartDate"))
    except ValueError:
        odf.collector.warn(node.where, f"StartDate {node.get('StartDate')!r} is not a date-time")
        return None


def _laps(odf: _Odf) -> float | None:
    infos = odf.comp.find("ExtendedInfos")
    for node in infos.findall("ExtendedInfo") if infos is not None else []:
        if node.get("Code").upper() == "LAPS" and node.get("Value"):
            try:
                return values.parse_points(node.get("Value"))
            except ValueError:
                odf.collector.warn(node.where, f"LAPS {node.get('Value')!r} is not a number")
    return None


def _read_result(odf: _Odf) -> ImportResult:
    rsc = odf.rsc()
    event, rnd, number = _event_for(odf, rsc)
    status = odf.status()
    relay = event.kind is EventKind.RELAY
    rows: list[ResultRow] = []
    locations: list[str] = []
    for node in odf.comp.findall("Result"):
        rows.append(_result_row(odf, node, relay, event.gender))
        locations.append(node.where)
    if not rows:
        raise odf.fail(odf.comp, "no Result elements: the message lists nobody")
    start = sorted(
        (
            StartEntry(
                competitor=r.competitor, start_position=r.start_position, helmet=r.competitor.helmet
            )
            for r in rows
        ),
        key=lambda e: e.start_position or 0,
    )
    has_results = any(
        r.place is not None or r.time is not None or r.status is not None for r in rows
    )
    if status is RaceStatus.START_LIST and has_results:
        odf.collector.warn(odf.body.where, "a start list carries results; read as results")
    results = rows if has_results else []
    race = Race(
        id=race_id(event.id, rnd, number),
        round=rnd,
        number=number,
        laps=_laps(odf),
        status=status,
        scheduled=_scheduled(odf),
        start_list=start,
        results=results,
    )
    check_race(race, odf.collector, locations if results else [])
    event.races = [race]
    return ImportResult(
        competition=odf.competition(events=[event]), warnings=odf.collector.warnings
    )


def _read_ranking(odf: _Odf) -> ImportResult:
    rsc = odf.rsc()
    event, _, _ = _event_for(odf, rsc)
    relay = event.kind is EventKind.RELAY
    standings: list[Standing] = []
    for node in odf.comp.findall("Result"):
        row = _result_row(odf, node, relay, event.gender)
        if row.place is None:
            odf.collector.warn(node.where, f"{row.competitor.id} has no rank; left out")
            continue
        points = 0.0
        raw = node.get("Result")
        if raw:
            try:
                points = values.parse_points(raw)
            except ValueError:
                points = 0.0
        standings.append(
            Standing(rank=row.place, tie=row.tie, competitor=row.competitor, points=points)
        )
    if not standings:
        raise odf.fail(odf.comp, "no ranked Result elements in the ranking")
    sid = (rsc.code if rsc is not None else event.id) + "-ranking"
    table = Standings(
        id=sid, title=f"{event.name} final ranking", status=odf.status(), rows=standings
    )
    return ImportResult(
        competition=odf.competition(standings=[table]), warnings=odf.collector.warnings
    )


def _medal_number(node: Node, name: str, odf: _Odf) -> int:
    return odf.int_attr(node, name) or 0


def _read_medals(odf: _Odf) -> ImportResult:
    medals: list[MedalCount] = []
    seen: set[str] = set()
    for line in odf.comp.iter("MedalLine"):
        nation = read_nation(line.get("Organisation"), odf.collector, line.where)
        if nation is None:
            raise odf.fail(line, "MedalLine has no valid Organisation")
        if nation in seen:
            odf.collector.warn(line.where, f"{nation} has two medal lines; the first is kept")
            continue
        seen.add(nation)
        numbers = line.findall("MedalNumber")
        total = next((n for n in numbers if n.get("Type").upper() in ("TOT", "")), None)
        counts = total or (numbers[0] if numbers else line)
        medals.append(
            MedalCount(
                rank=odf.int_attr(line, "Rank") or None,
                nation=nation,
                gold=_medal_number(counts, "Gold", odf),
                silver=_medal_number(counts, "Silver", odf),
                bronze=_medal_number(counts, "Bronze", odf),
            )
        )
    if not medals:
        raise odf.fail(odf.comp, "no MedalLine elements in the medal table")
    return ImportResult(competition=odf.competition(medals=medals), warnings=odf.collector.warnings)


def _read_partic(odf: _Odf) -> ImportResult:
    people: list[Athlete] = []
    seen: set[str] = set()
    for node in odf.comp.findall("Participant"):
        code = node.get("Code")
        if not code:
            raise odf.fail(node, "Participant has no Code")
        if code in seen:
            odf.collector.warn(node.where, f"participant {code} is listed twice")
            continue
        seen.add(code)
        nation = read_nation(node.get("Organisation"), odf.collector, node.where)
        family, given = node.get("FamilyName"), node.get("GivenName")
        if not family and not given:
            raise odf.fail(node, "Participant has no FamilyName or GivenName")
        g = values.parse_gender(node.get("Gender"))
        helmet = None
        for reg in node.iter("RegisteredEvent"):
            helmet = helmet or odf.int_attr(reg, "Bib")
        people.append(
            Athlete(
                id=code,
                family_name=family or given,
                given_name=given if family else "",
                original_name=node.get("PrintName") or _print_name(family, given),
                nation=nation,
                helmet=helmet,
                gender=g if g is not Gender.MIXED else None,
            )
        )
    if not people:
        raise odf.fail(odf.comp, "no Participant elements")
    return ImportResult(
        competition=odf.competition(), warnings=odf.collector.warnings, participants=people
    )


_ODF_READERS = {
    "DT_PARTIC": _read_partic,
    "DT_RESULT": _read_result,
    "DT_RANKING": _read_ranking,
    "DT_MEDALS": _read_medals,
}
