"""The commission workspace in the database: contests being scored and the members' scores.

Every write takes the acting user and checks the role itself (staff only), whatever page led to
it, and leaves a line in the audit log. A score is never overwritten in place: entering it again
marks the earlier row replaced (when, by whom) and adds a new row, so the history of what each
member gave — and who typed it in — stays in the database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa

from loaders.names import slug
from store.accounts import Actor, require_staff
from store.db import write_transaction
from store.queries import _frame
from store.schema import audit_log, score_applicants, score_contests, score_criteria, score_members, scores

CATEGORIES = ("I", "II")
MAX_MEMBERS = 60
MAX_APPLICANTS = 300


class ScoreInputError(ValueError):
    """Scores or settings that cannot be stored; `messages` says what and where, in Russian."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _audit(conn: sa.Connection, action: str, user: str, details: str) -> None:
    conn.execute(audit_log.insert().values(at=_now(), user=user, action=action, details=details[:2000]))


def _fmt(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def _exists(conn: sa.Connection, contest_id: str) -> bool:
    return conn.execute(sa.select(score_contests.c.contest_id).where(score_contests.c.contest_id == contest_id)).first() is not None


def _touch(conn: sa.Connection, contest_id: str, actor: Actor) -> None:
    conn.execute(score_contests.update().where(score_contests.c.contest_id == contest_id).values(updated_by=actor.name, updated_at=_now()))


def _replace_list(conn: sa.Connection, table: sa.Table, contest_id: str, rows: list[dict]) -> None:
    """A contest's applicants, criteria or members are saved as a whole list: the old one goes."""
    conn.execute(table.delete().where(table.c.contest_id == contest_id))
    if rows:
        conn.execute(table.insert(), rows)


def _save_list(
    engine: sa.Engine, actor: Actor, contest_id: str, table: sa.Table, rows: list[dict], action: str, details: str
) -> None:
    """Replace a checked list of an existing contest in one transaction, stamped and audited."""
    with write_transaction(engine) as conn:
        if not _exists(conn, contest_id):
            raise ScoreInputError(["Такого конкурса нет."])
        _replace_list(conn, table, contest_id, rows)
        _touch(conn, contest_id, actor)
        _audit(conn, action, actor.name, details)


# --------------------------------------------------------------------------- contests
def create_contest(
    engine: sa.Engine,
    actor: Actor | None,
    *,
    name: str,
    year: int | None,
    applicants: Iterable[tuple[str, str | None]],
    region_id: str | None = None,
    nomination: str | None = None,
    level: str | None = None,
    commission: str | None = None,
    source_contest_id: str | None = None,
    contest_id: str | None = None,
    period_from: int | None = None,
    period_to: int | None = None,
) -> str:
    """Open a contest for scoring (staff only); returns its id. A stored protocol's contest keeps its id."""
    require_staff(actor, "оценка заявок")
    name = (name or "").strip()
    applicants = [(mid, cat if cat in CATEGORIES else None) for mid, cat in applicants]
    errors = []
    if not name:
        errors.append("Укажите название конкурса.")
    if not applicants:
        errors.append("Выберите хотя бы одного заявителя.")
    if len(applicants) > MAX_APPLICANTS:
        errors.append(f"Заявителей слишком много ({len(applicants)}); предел — {MAX_APPLICANTS}.")
    if len({m for m, _ in applicants}) != len(applicants):
        errors.append("Заявители повторяются.")
    if errors:
        raise ScoreInputError(errors)
    with write_transaction(engine) as conn:
        if contest_id is None:
            base = f"ws-{year or 'без-года'}-{slug(name)[:60]}".rstrip("-")
            contest_id, n = base, 1
            while _exists(conn, contest_id):
                n += 1
                contest_id = f"{base}-{n}"
        elif _exists(conn, contest_id):
            raise ScoreInputError([f"Конкурс «{name}» уже открыт для оценки."])
        now = _now()
        conn.execute(
            score_contests.insert().values(
                contest_id=contest_id,
                name=name,
                year=year,
                region_id=region_id,
                nomination=nomination,
                level=level,
                commission=(commission or "").strip() or None,
                source_contest_id=source_contest_id,
                period_from=period_from if period_from is not None else (year - 2 if year else None),
                period_to=period_to if period_to is not None else year,
                criteria_name=None,
                tie_rule={"kind": "shared", "criteria": []},
                created_by=actor.name,
                created_at=now,
                updated_by=actor.name,
                updated_at=now,
            )
        )
        conn.execute(
            score_applicants.insert(),
            [{"contest_id": contest_id, "municipality_id": mid, "category": cat, "position": i} for i, (mid, cat) in enumerate(applicants)],
        )
        _audit(conn, "contest_opened", actor.name, f"{name} ({contest_id}): заявителей {len(applicants)}")
    return contest_id


def update_contest(engine: sa.Engine, contest_id: str, actor: Actor | None, **values: Any) -> None:
    """Change the title block of a contest: name, year, commission, nomination, facts period (staff only)."""
    require_staff(actor, "оценка заявок")
    allowed = {"name", "year", "region_id", "nomination", "level", "commission", "period_from", "period_to"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    if "name" in values and not (values["name"] or "").strip():
        raise ScoreInputError(["Укажите название конкурса."])
    pf, pt = values.get("period_from"), values.get("period_to")
    if pf is not None and pt is not None and pf > pt:
        raise ScoreInputError(["Период для цифр: первый год позже последнего."])
    with write_transaction(engine) as conn:
        if not _exists(conn, contest_id):
            raise ScoreInputError(["Такого конкурса нет."])
        conn.execute(score_contests.update().where(score_contests.c.contest_id == contest_id).values(**values))
        _touch(conn, contest_id, actor)
        _audit(conn, "contest_updated", actor.name, f"{contest_id}: {', '.join(sorted(values))}")


def save_applicants(engine: sa.Engine, contest_id: str, applicants: Iterable[tuple[str, str | None]], actor: Actor | None) -> None:
    """Replace the applicants (staff only). Scores of a removed applicant stay in the history."""
    require_staff(actor, "оценка заявок")
    applicants = [(mid, cat if cat in CATEGORIES else None) for mid, cat in applicants]
    if not applicants:
        raise ScoreInputError(["Выберите хотя бы одного заявителя."])
    if len({m for m, _ in applicants}) != len(applicants):
        raise ScoreInputError(["Заявители повторяются."])
    _save_list(
        engine,
        actor,
        contest_id,
        score_applicants,
        [{"contest_id": contest_id, "municipality_id": mid, "category": cat, "position": i} for i, (mid, cat) in enumerate(applicants)],
        "applicants_saved",
        f"{contest_id}: заявителей {len(applicants)}",
    )


def delete_contest(engine: sa.Engine, contest_id: str, actor: Actor | None) -> bool:
    """Remove a contest with its criteria, members and every score (staff only)."""
    require_staff(actor, "оценка заявок")
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(score_contests.c.name).where(score_contests.c.contest_id == contest_id)).first()
        if row is None:
            return False
        n = conn.execute(sa.select(sa.func.count()).select_from(scores).where(scores.c.contest_id == contest_id)).scalar()
        for t in (scores, score_members, score_criteria, score_applicants):
            conn.execute(t.delete().where(t.c.contest_id == contest_id))
        conn.execute(score_contests.delete().where(score_contests.c.contest_id == contest_id))
        _audit(conn, "contest_deleted", actor.name, f"{row.name} ({contest_id}); записей оценок удалено: {n}")
    return True


# --------------------------------------------------------------------------- criteria and members
def save_criteria(
    engine: sa.Engine, contest_id: str, criteria: list[Mapping[str, Any]], actor: Actor | None, *, name: str | None = None, tie_rule: Mapping | None = None
) -> None:
    """Replace the criteria set (staff only). Refused when entered scores fall outside a new range."""
    require_staff(actor, "оценка заявок")
    errors = []
    if not criteria:
        errors.append("В наборе нет ни одного критерия.")
    keys = [str(c["key"]) for c in criteria]
    if len(set(keys)) != len(keys):
        errors.append("Коды критериев повторяются.")
    for c in criteria:
        lo, hi, w = float(c["min_points"]), float(c["max_points"]), float(c.get("weight", 1) or 0)
        if any(math.isnan(v) for v in (lo, hi, w)) or hi <= lo or w <= 0 or lo < 0:
            errors.append(f"Критерий «{c['name']}»: неверные пределы баллов или вес.")
    if errors:
        raise ScoreInputError(errors)
    with write_transaction(engine) as conn:
        if not _exists(conn, contest_id):
            raise ScoreInputError(["Такого конкурса нет."])
        current = _current_scores(conn, contest_id)
        for c in criteria:
            mine = current[current["criterion"] == str(c["key"])]
            if c.get("kind") == "figure" and len(mine):
                errors.append(f"Критерий «{c['name']}» считается по цифрам, но по нему уже выставлено оценок: {len(mine)} — сначала очистите их.")
                continue
            bad = mine[(mine["points"] < float(c["min_points"])) | (mine["points"] > float(c["max_points"]))]
            if len(bad):
                errors.append(
                    f"Критерий «{c['name']}»: {len(bad)} уже выставленных оценок вне нового диапазона "
                    f"{_fmt(float(c['min_points']))}–{_fmt(float(c['max_points']))} — исправьте их или диапазон."
                )
        if errors:
            raise ScoreInputError(errors)
        _replace_list(
            conn,
            score_criteria,
            contest_id,
            [
                {
                    "contest_id": contest_id,
                    "key": str(c["key"]),
                    "position": i,
                    "name": str(c["name"]).strip(),
                    "min_points": float(c["min_points"]),
                    "max_points": float(c["max_points"]),
                    "weight": float(c.get("weight", 1)),
                    "kind": c.get("kind") or "manual",
                    "figure": c.get("figure"),
                    "bands": list(c.get("bands") or []),
                }
                for i, c in enumerate(criteria)
            ],
        )
        values = {}
        if name is not None:
            values["criteria_name"] = name
        if tie_rule is not None:
            values["tie_rule"] = {"kind": tie_rule.get("kind", "shared"), "criteria": list(tie_rule.get("criteria") or [])}
        if values:
            conn.execute(score_contests.update().where(score_contests.c.contest_id == contest_id).values(**values))
        _touch(conn, contest_id, actor)
        _audit(conn, "criteria_saved", actor.name, f"{contest_id}: {len(criteria)} критериев ({name or 'свой набор'})")


def save_members(engine: sa.Engine, contest_id: str, members: list[tuple[str, str | None]], actor: Actor | None) -> None:
    """Replace the commission's members (name, role) (staff only).

    A member removed keeps their scores in the history; they no longer count in the results.
    """
    require_staff(actor, "оценка заявок")
    cleaned = [(" ".join(str(m).split()), (r or "").strip() or None) for m, r in members if str(m).strip()]
    errors = []
    if not cleaned:
        errors.append("Впишите хотя бы одного члена комиссии.")
    if len(cleaned) > MAX_MEMBERS:
        errors.append(f"Членов комиссии слишком много ({len(cleaned)}); предел — {MAX_MEMBERS}.")
    names = [m.lower() for m, _ in cleaned]
    doubles = sorted({m for m, _ in cleaned if names.count(m.lower()) > 1})
    if doubles:
        errors.append(f"Имена повторяются: {', '.join(doubles)}.")
    long = [m for m, _ in cleaned if len(m) > 200]
    if long:
        errors.append("Имя члена комиссии длиннее 200 символов.")
    if errors:
        raise ScoreInputError(errors)
    _save_list(
        engine,
        actor,
        contest_id,
        score_members,
        [{"contest_id": contest_id, "member": m, "position": i, "role": r} for i, (m, r) in enumerate(cleaned)],
        "members_saved",
        f"{contest_id}: {len(cleaned)} членов комиссии",
    )


# --------------------------------------------------------------------------- scores
def _current_scores(conn: sa.Connection, contest_id: str) -> pd.DataFrame:
    q = sa.select(
        scores.c.id, scores.c.member, scores.c.municipality_id, scores.c.criterion, scores.c.points, scores.c.entered_by,
        scores.c.entered_at, scores.c.source,
    ).where(scores.c.contest_id == contest_id, scores.c.replaced_at.is_(None), scores.c.points.is_not(None))  # fmt: skip
    return _frame(conn, q)


def save_scores(
    engine: sa.Engine,
    contest_id: str,
    entries: Iterable[Mapping[str, Any]],
    actor: Actor | None,
    source: str = "form",
) -> dict[str, int]:
    """Store scores (staff only): each entry {member, municipality_id, criterion, points}; points None clears.

    All or nothing: one bad entry (an unknown member, applicant or criterion, a score outside the
    criterion's range) refuses the whole batch with every problem named. An unchanged score is not
    written again. Returns counts: entered, changed, cleared, unchanged.
    """
    require_staff(actor, "оценка заявок")
    entries = list(entries)
    counts = {"entered": 0, "changed": 0, "cleared": 0, "unchanged": 0}
    with write_transaction(engine) as conn:
        if not _exists(conn, contest_id):
            raise ScoreInputError(["Такого конкурса нет."])
        members = {r[0] for r in conn.execute(sa.select(score_members.c.member).where(score_members.c.contest_id == contest_id))}
        applicants = {r[0] for r in conn.execute(sa.select(score_applicants.c.municipality_id).where(score_applicants.c.contest_id == contest_id))}
        criteria = {
            r.key: r
            for r in conn.execute(
                sa.select(score_criteria.c.key, score_criteria.c.name, score_criteria.c.min_points, score_criteria.c.max_points, score_criteria.c.kind).where(
                    score_criteria.c.contest_id == contest_id
                )
            )
        }
        errors = []
        seen = set()
        for i, e in enumerate(entries, start=1):
            member, mid, key, points = e.get("member"), e.get("municipality_id"), e.get("criterion"), e.get("points")
            where = e.get("where") or f"оценка {i}"
            if member not in members:
                errors.append(f"{where}: «{member}» нет в составе комиссии.")
                continue
            if mid not in applicants:
                errors.append(f"{where}: заявитель «{mid}» не участвует в конкурсе.")
                continue
            c = criteria.get(key)
            if c is None:
                errors.append(f"{where}: критерия «{key}» нет в наборе.")
                continue
            if c.kind == "figure":
                errors.append(f"{where}: критерий «{c.name}» считается по цифрам — оценку вводить не нужно.")
                continue
            if (member, mid, key) in seen:
                errors.append(f"{where}: оценка {member} по критерию «{c.name}» указана дважды.")
                continue
            seen.add((member, mid, key))
            if points is not None:
                try:
                    points = float(points)
                except (TypeError, ValueError):
                    errors.append(f"{where}: «{points}» — не число.")
                    continue
                if not math.isnan(points) and not c.min_points <= points <= c.max_points:
                    errors.append(f"{where}: {_fmt(points)} вне допустимых баллов по критерию «{c.name}» ({_fmt(c.min_points)}–{_fmt(c.max_points)}).")
        if errors:
            raise ScoreInputError(errors)
        current = _current_scores(conn, contest_id)
        now_map = {(r.member, r.municipality_id, r.criterion): (r.id, r.points) for r in current.itertuples()}
        now = _now()
        inserts = []
        for e in entries:
            key = (e["member"], e["municipality_id"], e["criterion"])
            points = e.get("points")
            points = None if points is None or (isinstance(points, float) and math.isnan(points)) else float(points)
            old = now_map.get(key)
            if old is None and points is None:
                counts["unchanged"] += 1
                continue
            if old is not None and points is not None and abs(old[1] - points) < 1e-9:
                counts["unchanged"] += 1
                continue
            if old is not None:
                conn.execute(scores.update().where(scores.c.id == old[0]).values(replaced_at=now, replaced_by=actor.name))
            if points is None:
                counts["cleared"] += 1
            else:
                counts["changed" if old is not None else "entered"] += 1
            # A cleared score is a row too: who cleared it and when is part of the history.
            inserts.append(
                {"contest_id": contest_id, "member": key[0], "municipality_id": key[1], "criterion": key[2], "points": points,
                 "entered_by": actor.name, "entered_at": now, "source": source}
            )  # fmt: skip
        if inserts:
            # Cleared rows are history only; mark them replaced at once so the one-current-score index holds.
            for row in inserts:
                if row["points"] is None:
                    row["replaced_at"] = now
                    row["replaced_by"] = actor.name
            conn.execute(scores.insert(), inserts)
            _touch(conn, contest_id, actor)
            who = sorted({e["member"] for e in entries})
            _audit(
                conn, "scores_saved", actor.name,
                f"{contest_id}: {', '.join(who)} — новых {counts['entered']}, изменено {counts['changed']}, очищено {counts['cleared']} ({source})",
            )  # fmt: skip
    return counts


# --------------------------------------------------------------------------- reading
def list_contests(engine: sa.Engine) -> pd.DataFrame:
    """Contests open for scoring, newest first, with the number of applicants, members and scores."""
    with engine.connect() as conn:
        contests = _frame(conn, sa.select(score_contests).order_by(score_contests.c.year.desc(), score_contests.c.name))
        if contests.empty:
            return contests
        for table, column in ((score_applicants, "applicants"), (score_members, "members")):
            counts = dict(conn.execute(sa.select(table.c.contest_id, sa.func.count()).group_by(table.c.contest_id)).all())
            contests[column] = contests["contest_id"].map(counts).fillna(0).astype(int)
        current = dict(
            conn.execute(
                sa.select(scores.c.contest_id, sa.func.count())
                .where(scores.c.replaced_at.is_(None), scores.c.points.is_not(None))
                .group_by(scores.c.contest_id)
            ).all()
        )
        contests["scores"] = contests["contest_id"].map(current).fillna(0).astype(int)
    return contests


def load_workspace(engine: sa.Engine, contest_id: str) -> dict[str, Any] | None:
    """One contest for scoring: its row, applicants, criteria records, members and current scores."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(score_contests).where(score_contests.c.contest_id == contest_id)).first()
        if row is None:
            return None
        applicants = _frame(
            conn,
            sa.select(score_applicants.c.municipality_id, score_applicants.c.category, score_applicants.c.position)
            .where(score_applicants.c.contest_id == contest_id)
            .order_by(score_applicants.c.position),
        )
        criteria = [
            {**dict(r._mapping), "bands": r.bands or []}
            for r in conn.execute(
                sa.select(
                    score_criteria.c.key, score_criteria.c.name, score_criteria.c.min_points, score_criteria.c.max_points,
                    score_criteria.c.weight, score_criteria.c.kind, score_criteria.c.figure, score_criteria.c.bands,
                ).where(score_criteria.c.contest_id == contest_id).order_by(score_criteria.c.position)
            )
        ]  # fmt: skip
        members = [
            (r.member, r.role)
            for r in conn.execute(
                sa.select(score_members.c.member, score_members.c.role).where(score_members.c.contest_id == contest_id).order_by(score_members.c.position)
            )
        ]
        current = _current_scores(conn, contest_id)
    return {"contest": dict(row._mapping), "applicants": applicants, "criteria": criteria, "members": members, "scores": current}


def score_history(engine: sa.Engine, contest_id: str, limit: int = 2000) -> pd.DataFrame:
    """Every score ever entered for the contest (replaced ones too), newest first."""
    with engine.connect() as conn:
        return _frame(
            conn,
            sa.select(
                scores.c.member, scores.c.municipality_id, scores.c.criterion, scores.c.points, scores.c.entered_by, scores.c.entered_at,
                scores.c.source, scores.c.replaced_at, scores.c.replaced_by,
            ).where(scores.c.contest_id == contest_id).order_by(scores.c.id.desc()).limit(limit),
        )  # fmt: skip
