"""Issue 8, finding 2: no suppressed figure can be worked out from what is published with it.

The attacker here is written from the published rule (docs/adr/0006), not from the module: it
reads a release as a reader would (the HTML of the insights page with its chart's alt text, the
case-finding summary table, or the printed figures of a generated table), turns every figure
into what it says about the true counts:

    "0" -> exactly 0;  "<10" -> 1 to 9;  "[c]" -> 10 or more;  n -> n-2 to n+2, and 10 or more

adds what a reader knows about how the tables fit together (margins are sums, the same people
are counted in each breakdown), and then looks for the smallest and largest value each hidden
figure could take: by exact integer programming (any size) and by brute-force search over whole
tables (small ones). A hidden figure with only one possible value is a disclosure.

The attacker's teeth are shown first: on the old rule's output (the Heart Centre row of the
issue, the worklist summary "female 15 of 24") and on the naive "suppress 1-9, round to 5" rule
the same attacker pins the hidden count.
"""

import datetime
import html.parser
import itertools
import math
import random
import re

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from tests.unit.worklist.conftest import make_matches, make_patients
from upstream.casefinding.worklist import build_worklist, summarise
from upstream.casefinding.worklist import shown as printed_figure
from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.insights import services
from upstream.service.people.models import Person
from upstream.service.referrals.services import submit_referral
from upstream.standards import disclosure, nhs_number

INF = math.inf

# --- The attacker ----------------------------------------------------------------------------


def meaning(display: str) -> tuple[float, float]:
    """What a published figure says about its true value, by the published rule."""
    display = display.strip().replace(",", "")
    if display == "<10":
        return 1, 9
    if display == "[c]":
        return 10, INF
    n = int(display)
    if n == 0:
        return 0, 0
    return max(10, n - 2), n + 2


class Attack:
    """Unknown whole counts >= 0, and linear facts about them an attacker reads or knows."""

    def __init__(self):
        self.names: dict = {}
        self.facts: list[tuple[dict, float, float]] = []
        self.hidden: list[tuple[str, dict]] = []

    def var(self, name) -> dict:
        self.names.setdefault(name, len(self.names))
        return {name: 1}

    def sum(self, *exprs: dict) -> dict:
        total: dict = {}
        for expr in exprs:
            for name, c in expr.items():
                total[name] = total.get(name, 0) + c
        return total

    def minus(self, a: dict, b: dict) -> dict:
        return self.sum(a, {k: -c for k, c in b.items()})

    def read(self, label: str, expr: dict, display: str) -> None:
        """The published ``display`` of the figure ``expr``."""
        low, high = meaning(display)
        self.facts.append((expr, low, high))
        if display.strip() in ("<10", "[c]"):
            self.hidden.append((label, expr))

    def know(self, expr: dict, low: float, high: float) -> None:
        self.facts.append((expr, low, high))

    def _row(self, expr):
        row = np.zeros(len(self.names))
        for name, c in expr.items():
            row[self.names[name]] += c
        return row

    def bounds(self, expr: dict) -> tuple[float, float]:
        """Exact integer bounds of ``expr`` over every table consistent with the facts."""
        matrix = np.array([self._row(e) for e, _, _ in self.facts])
        facts = LinearConstraint(matrix, [lo for _, lo, _ in self.facts],
                                 [hi for _, _, hi in self.facts])
        out = []
        for sense in (1, -1):
            result = milp(sense * self._row(expr), constraints=facts, bounds=Bounds(0, 10**7),
                          integrality=np.ones(len(self.names)))
            assert result.status == 0, result.message  # the truth itself is consistent
            out.append(round(sense * result.fun))
        return out[0], out[1]

    def pinned(self) -> dict[str, int]:
        """``{label: value}`` of each hidden figure that has only one possible value."""
        found = {}
        for label, expr in self.hidden:
            low, high = self.bounds(expr)
            if low == high:
                found[label] = low
        return found

    def check_truth(self, truth: dict) -> None:
        """The true counts obey every fact read: the page does not misstate anything."""
        for expr, low, high in self.facts:
            value = sum(truth[name] * c for name, c in expr.items())
            assert low <= value <= high, (expr, low, high, value)


def brute_force_values(domains: list[range], sums: list[tuple[list[int], float, float]],
                       target: list[int]) -> set[int]:
    """Every value the sum of cells ``target`` takes over all whole tables with cell ``i`` in
    ``domains[i]`` and each ``(cells, low, high)`` sum within its bounds (exhaustive search,
    pruned by partial sums; for small tables)."""
    n = len(domains)
    values: set[int] = set()
    cells = [0] * n

    def possible(upto: int) -> bool:
        for group, low, high in sums:
            done = sum(cells[i] for i in group if i < upto)
            rest = [domains[i] for i in group if i >= upto]
            if done + sum(d.start for d in rest) > high or done + sum(d.stop - 1
                                                                     for d in rest) < low:
                return False
        return True

    def search(i: int) -> None:
        if len(values) > 1:
            return  # two values found: the target is not pinned
        if i == n:
            values.add(sum(cells[j] for j in target))
            return
        for v in domains[i]:
            cells[i] = v
            if possible(i + 1):
                search(i + 1)

    search(0)
    return values


# --- The attacker has teeth: old and naive rules are broken --------------------------------------


def test_the_attacker_pins_the_heart_centre_count_under_the_old_rule():
    # Old output: GP 20, community organisation "<10" (true 1), self-referral "[c]" placed on a
    # zero, row total 21 shown. Even reading "[c]" as merely ">= 0", the count is pinned.
    attack = Attack()
    gp, community, own = (attack.var(n) for n in ("gp", "community", "self"))
    attack.know(gp, 20, 20)
    attack.know(attack.sum(gp, community, own), 21, 21)
    attack.know(community, 1, 9)
    attack.hidden.append(("community", community))
    assert attack.pinned() == {"community": 1}


def test_the_attacker_pins_male_in_the_old_worklist_summary():
    attack = Attack()
    female, male = attack.var("F"), attack.var("M")
    attack.know(attack.sum(female, male), 24, 24)  # "All people 24"
    attack.know(female, 15, 15)
    attack.know(male, 1, 9)
    attack.hidden.append(("male", male))
    assert attack.pinned() == {"male": 9}


@pytest.mark.parametrize("x", [1, 9])
def test_the_attacker_pins_the_naive_round_to_five_rule(x):
    # Lead's example: x hidden, b = c = 13 (shown 15) and total 27 (25) pins x = 1; the mirror
    # case pins 9. The naive rule publishes the base figures only.
    b = c = 13 if x == 1 else 12
    naive = [disclosure.base_figure(n).display for n in (x, b, c, x + b + c)]
    attack = Attack()
    cells = [attack.var(i) for i in range(3)]
    for label, expr, shown in zip("xbcT", [*cells, attack.sum(*cells)], naive, strict=True):
        attack.read(label, expr, shown)
    assert attack.pinned() == {"x": x}
    domains = [range(1, 10) if s == "<10" else range(int(s) - 2, int(s) + 3)
               for s in naive[:3]]
    assert brute_force_values(domains, [([0, 1, 2], *meaning(naive[3]))], [0]) == {x}


# --- Generated tables ------------------------------------------------------------------------

small_counts = st.one_of(st.integers(0, 12), st.integers(0, 40))


def _protect_two_way(table: list[list[int]]) -> tuple[dict, dict]:
    release = disclosure.Release()
    rows, cols = len(table), len(table[0])
    for r, c in itertools.product(range(rows), range(cols)):
        release.count((r, c), table[r][c])
    for r in range(rows):
        release.total(("row", r), [(r, c) for c in range(cols)])
    for c in range(cols):
        release.total(("col", c), [(r, c) for r in range(rows)])
    release.total("all", list(itertools.product(range(rows), range(cols))))
    figures = release.protect()
    return {k: f.display for k, f in figures.items()}, figures


def _attack_two_way(shown: dict, table: list[list[int]]) -> None:
    rows, cols = len(table), len(table[0])
    cells = list(itertools.product(range(rows), range(cols)))
    # exact integer bounds
    attack = Attack()
    x = {cell: attack.var(cell) for cell in cells}
    groups = {**{("row", r): [(r, c) for c in range(cols)] for r in range(rows)},
              **{("col", c): [(r, c) for r in range(rows)] for c in range(cols)},
              "all": cells}
    for cell in cells:
        attack.read(str(cell), x[cell], shown[cell])
    for key, group in groups.items():
        attack.read(str(key), attack.sum(*(x[c] for c in group)), shown[key])
    attack.check_truth({cell: table[cell[0]][cell[1]] for cell in cells})
    assert attack.pinned() == {}, (table, shown)
    # brute force over whole tables (capped at 200: a cap only helps the attacker)
    index = {cell: i for i, cell in enumerate(cells)}
    domains = []
    for cell in cells:
        low, high = meaning(shown[cell])
        domains.append(range(int(low), int(min(high, 200)) + 1))
    sums = [([index[c] for c in group], *meaning(shown[key])) for key, group in groups.items()]
    for key in [k for k in [*cells, *groups] if shown[k] in ("<10", "[c]")]:
        target = [index[key]] if key in index else [index[c] for c in groups[key]]
        assert len(brute_force_values(domains, sums, target)) > 1, (key, table, shown)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(small_counts, min_size=1, max_size=6))
def test_no_hidden_count_of_a_one_way_table_can_be_worked_out(counts):
    _attack_two_way(*_with_shown([counts]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 3).flatmap(lambda cols: st.lists(
    st.lists(small_counts, min_size=cols, max_size=cols), min_size=2, max_size=3)))
def test_no_hidden_count_of_a_two_way_table_can_be_worked_out(table):
    _attack_two_way(*_with_shown(table))


def _with_shown(table):
    shown, _ = _protect_two_way(table)
    return shown, table


def test_the_lead_example_is_protected_by_the_module():
    shown, _ = _protect_two_way([[1, 13, 13]])
    assert shown[(0, 0)] == "<10" and "[c]" in shown.values()
    _attack_two_way(shown, [[1, 13, 13]])


# --- The case-finding summary --------------------------------------------------------------


def _attack_summary(table: pd.DataFrame, truth: dict) -> dict:
    """Attack a worklist summary as printed; ``truth`` gives the true counts by row label."""
    attack = Attack()
    rows = {(r.breakdown, r.group): printed_figure(r) for r in table.itertuples()}
    everyone = attack.var(("All people", "All"))
    attack.read("All people", everyone, rows[("All people", "All")])
    parts: dict[str, list] = {}
    for (breakdown, group), shown in rows.items():
        if breakdown in ("All people", "Core20 (IMD deciles 1-2)"):
            continue
        x = attack.var((breakdown, group))
        attack.read(f"{breakdown} {group}", x, shown)
        parts.setdefault(breakdown, []).append(((breakdown, group), x))
    for breakdown in ("IMD decile", "Sex", "Age band"):  # absent groups are empty
        attack.know(attack.minus(attack.sum(*(x for _, x in parts[breakdown])), everyone), 0, 0)
    cohorts = [x for _, x in parts.get("Cohort", [])]
    for x in cohorts:
        attack.know(attack.minus(everyone, x), 0, INF)  # a cohort is some of everyone
    if cohorts:
        attack.know(attack.minus(attack.sum(*cohorts), everyone), 0, INF)  # everyone is in one
    core = [x for (_, group), x in parts["IMD decile"] if group.split(" ")[0] in ("1", "2")]
    rest = [x for (_, group), x in parts["IMD decile"] if group.split(" ")[0] not in ("1", "2")]
    attack.read("Core20 Yes", attack.sum(*core), rows[("Core20 (IMD deciles 1-2)", "Yes")])
    attack.read("Core20 No", attack.sum(*rest), rows[("Core20 (IMD deciles 1-2)", "No")])
    attack.check_truth({name: truth.get(name, 0) for name in attack.names})
    return attack.pinned()


def _worklist(people: list[dict], cohorts: list[list[str]]):
    rows = [(p["patient_id"], c, "r", 1.0) for p, cs in zip(people, cohorts, strict=True)
            for c in cs]
    return build_worklist(make_matches(rows), make_patients(people),
                          as_of=datetime.date(2024, 6, 30))


def _truth(worklist: pd.DataFrame) -> dict:
    truth = {("All people", "All"): len(worklist)}
    for cohort, n in worklist["cohorts"].str.split("; ").explode().value_counts().items():
        truth[("Cohort", cohort)] = int(n)
    for decile in range(1, 11):
        label = f"{decile}" + {1: " (most deprived)", 10: " (least deprived)"}.get(decile, "")
        truth[("IMD decile", label)] = int((worklist["imd_decile"] == decile).sum())
    truth[("IMD decile", "Not known")] = int(worklist["imd_decile"].isna().sum())
    for code, label in {"F": "Female", "M": "Male", "I": "Indeterminate",
                        "U": "Not known"}.items():
        truth[("Sex", label)] = int((worklist["sex"] == code).sum())
    from upstream.casefinding.worklist import age_band
    for band, n in worklist["age"].map(age_band).value_counts().items():
        truth[("Age band", band)] = int(n)
    return truth


def test_the_worklist_summary_of_the_issue_no_longer_gives_male_away():
    # 24 people: 15 women, 9 men, as in the issue.
    people = [{"patient_id": i, "sex": "F" if i <= 15 else "M", "imd_decile": 1 + i % 3,
               "birth_date": datetime.date(1950 + i, 1, 1)} for i in range(1, 25)]
    worklist = _worklist(people, [["ed"]] * 24)
    table = summarise(worklist, ["ed", "falls"])
    printed = {(r.breakdown, r.group): printed_figure(r) for r in table.itertuples()}
    assert printed[("Sex", "Male")] == "<10"
    assert _attack_summary(table, _truth(worklist)) == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(1, 45))
def test_no_hidden_count_of_a_generated_worklist_summary_can_be_worked_out(seed, size):
    rng = random.Random(seed)
    people = [{"patient_id": i, "sex": rng.choice("FFFMMMIU"),
               "imd_decile": rng.choice([1, 1, 2, 3, 5, 9, 10, None]),
               "birth_date": datetime.date(rng.randint(1930, 2005), 1, 1)}
              for i in range(1, size + 1)]
    cohorts = [rng.sample(["ed", "falls", "frailty"], rng.randint(1, 2)) for _ in people]
    worklist = _worklist(people, cohorts)
    table = summarise(worklist, ["ed", "falls", "frailty"])
    assert _attack_summary(table, _truth(worklist)) == {}


# --- The insights page -----------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """The tables (caption, header row, body rows) and image alt texts of an HTML page."""

    def __init__(self, text: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.alts: list[str] = []
        self._table = None
        self._cell = None
        self._caption = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and attrs.get("alt"):
            self.alts.append(attrs["alt"])
        elif tag == "table":
            self._table = []
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "caption":
            self._name = self._caption.strip()
            self._caption = None
        elif tag == "table":
            self.tables[self._name] = self._table
            self._table = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def _attack_page(text: str, truth: dict) -> dict:
    """Attack every figure of the insights page together; ``truth`` holds the true counts under
    the attacker's variable names, to check that the page states nothing false."""
    page = _Page(text)
    attack = Attack()
    shown_as: dict = {}

    def read(label, expr, display):
        # the same count must be printed the same everywhere
        assert shown_as.setdefault(label, display) == display, (label, display, shown_as[label])
        attack.read(str(label), expr, display)

    team_source = page.tables["Referrals by team and source"]
    sources = team_source[0][1:-1]
    body = [row for row in team_source[1:] if row[0] != "All teams"]
    cells = {(row[0], s): attack.var(("referrals", row[0], s)) for row in body for s in sources}
    for row in body:
        for s, shown in zip(sources, row[1:-1], strict=True):
            read(("referrals", row[0], s), cells[(row[0], s)], shown)
        read(("team", row[0]), attack.sum(*(cells[(row[0], s)] for s in sources)), row[-1])
    all_teams = next(row for row in team_source if row[0] == "All teams")
    for s, shown in zip(sources, all_teams[1:-1], strict=True):
        read(("source", s), attack.sum(*(cells[(t[0], s)] for t in body)), shown)
    referrals = attack.sum(*cells.values())
    read("referrals", referrals, all_teams[-1])

    for caption, unit in (("Referrals by area deprivation (IMD decile)", "decile"),
                          ("Referrals by ethnic group", "ethnic")):
        parts = []
        for row in page.tables[caption][1:]:
            if row[0] == "Total":
                read("referrals", referrals, row[1])  # the same referrals, the same total
            else:
                parts.append(attack.var((unit, row[0])))
                read((unit, row[0]), parts[-1], row[1])
        attack.know(attack.minus(attack.sum(*parts), referrals), 0, 0)

    status = {}
    for caption in ("Episodes by status", "Episodes closed, by reason"):
        parts = []
        for row in page.tables[caption][1:]:
            if row[0] == "Total":
                read(caption, attack.sum(*parts), row[1])
            else:
                status.setdefault(row[0], attack.var(("status", row[0])))
                parts.append(status[row[0]])
                read(("status", row[0]), status[row[0]], row[1])
    for chart in [a for a in page.alts if a.startswith("Bar chart of episodes by status")]:
        listed = chart.split(": ", 1)[1].split(". Numbers are rounded")[0]
        for item in listed.split("; "):
            label, n = item.rsplit(" ", 1)
            read(("status", label), status[label], n)
    conversations = next((name for name in page.tables
                          if name.startswith("People supported by 3 Conversations teams")), None)
    if conversations:  # the 3 Conversations teams' episodes: some of the episodes
        parts = {}
        for row in page.tables[conversations][1:]:
            if row[0] == "Total":
                read("conversations", attack.sum(*parts.values()), row[1])
            else:
                parts[row[0]] = attack.var(("conversations", row[0]))
                read(("conversations", row[0]), parts[row[0]], row[1])
        for chart in [a for a in page.alts if a.startswith("Bar chart of people supported")]:
            listed = chart.split(": ", 1)[1].split(". Numbers are rounded")[0]
            for item in filter(None, listed.split("; ")):
                label, n = item.rsplit(" ", 1)
                read(("conversations", label), parts[label], n)
        attack.know(attack.minus(attack.sum(*status.values()), attack.sum(*parts.values())),
                    0, INF)
    _attack_engagement(page, attack, read, status, referrals)
    allocated = re.search(r"over about ([\d,]+) episodes", text)
    if allocated:
        waiting = attack.var("allocated")
        attack.read("allocated", waiting, allocated.group(1))
        attack.know(attack.minus(attack.sum(*status.values()), waiting), 0, INF)
    attack.check_truth({name: truth[name] for name in attack.names})
    assert attack.hidden, "the page should hide something, or this test attacks nothing"
    return attack.pinned()


EXIT_STATUS = {"Exit: Declined": "Closed: declined",
               "Exit: Not suitable or rejected": "Closed: not suitable",
               "Exit: Deceased": "Closed: deceased",
               "Exit: Dropped off or did not engage": "Closed: did not engage"}


def _alt_items(page, prefix: str) -> list[tuple[str, str]]:
    """``(label, number)`` pairs listed in the alt text of each chart starting ``prefix``."""
    found = []
    for chart in [a for a in page.alts if a.startswith(prefix)]:
        listed = chart.split(": ", 1)[1].split(". ", 1)[0]
        found += [tuple(item.rsplit(" ", 1)) for item in filter(None, listed.split("; "))]
    return found


def _attack_engagement(page, attack, read, status, referrals) -> None:
    """The funnel (stages over deepest-stage cells; exits are the status figures), the attempts
    bands (the engaged episodes), the needs (each some of the referrals) and the monthly
    referrals (all of them), with the funnel and run chart alt texts."""
    funnel = page.tables["Engagement funnel and exits (episodes)"]
    cells = [attack.var(("funnel cell", i)) for i in range(5)]
    stages = [row for row in funnel[1:] if not row[0].startswith("Exit: ")]
    stage_expr = {}
    for i, row in enumerate(stages):
        stage_expr[row[0]] = attack.sum(*cells[i:])
        read(("funnel", row[0]), stage_expr[row[0]], row[1])
    for label, n in _alt_items(page, "Bar chart of the engagement funnel"):
        read(("funnel", label), stage_expr[label], n)
    attack.know(attack.minus(attack.sum(*cells), attack.sum(*status.values())), 0, 0)
    for row in funnel[1:]:
        if row[0].startswith("Exit: "):
            label = EXIT_STATUS[row[0]]
            read(("status", label), status[label], row[1])
    engaged = attack.sum(*cells[2:])
    bands = []
    for row in page.tables["Contact attempts made before engaging"][1:]:
        if row[0] == "Total engaged":
            read(("funnel", "Engaged"), engaged, row[1])
        else:
            bands.append(attack.var(("attempts", row[0])))
            read(("attempts", row[0]), bands[-1], row[1])
    attack.know(attack.minus(attack.sum(*bands), engaged), 0, 0)
    caption = "Needs named on referrals (a referral may name several)"
    for row in page.tables[caption][1:]:
        if row[0] == "All referrals":
            read("referrals", referrals, row[1])
        else:
            need = attack.var(("need", row[0]))
            read(("need", row[0]), need, row[1])
            attack.know(attack.minus(referrals, need), 0, INF)
    months = {}
    for row in page.tables["Referrals received each month"][1:]:
        months[row[0]] = attack.var(("month", row[0]))
        read(("month", row[0]), months[row[0]], row[1])
    for label, n in _alt_items(page, "Run chart of referrals by month"):
        read(("month", label), months[label], n)
    if months:
        attack.know(attack.minus(attack.sum(*months.values()), referrals), 0, 0)


def _truth_of_engagement(teams) -> dict:
    from upstream.service.insights.services import FUNNEL
    from upstream.standards.vocabularies import NEEDS

    truth = {}
    deepest = services.funnel_stages(teams)
    truth.update({("funnel cell", i): deepest[stage] for i, stage in enumerate(FUNNEL)})
    truth.update({("attempts", band): n
                  for band, n in services.attempts_distribution(teams).items()})
    truth.update({("need", NEEDS[code]): n
                  for code, n in services.referrals_with_need(teams).items()})
    truth.update({("month", f"{month:%b %Y}"): n
                  for month, n in services.referrals_by_month(teams).items()})
    return truth


def _truth_of_page(teams) -> dict:
    from upstream.service.referrals.models import ReferralSource
    from upstream.service.referrals.states import LABELS

    source_labels = dict(ReferralSource.choices)
    truth = {}
    for team in teams:
        for code, label in source_labels.items():
            truth[("referrals", team.name, label)] = 0
    for (team, source), n in services.referrals_by_team_and_source(teams).items():
        truth[("referrals", team, source_labels[source])] = n
    for decile, n in services.referrals_by_imd_decile(teams).items():
        label = "Not known" if decile is None else f"Decile {decile}" + {
            1: " (most deprived)", 10: " (least deprived)"}.get(decile, "")
        truth[("decile", label)] = n
    for group, n in services.referrals_by_ethnic_group(teams).items():
        truth[("ethnic", group)] = n
    for code, n in services.episodes_by_status(teams).items():
        truth[("status", LABELS[code])] = n
    truth["allocated"] = services.waiting_days(teams).n
    truth.update(_truth_of_engagement(teams))
    from upstream.service.insights.presenters import KEPT_LABEL, NEEDED_LABEL
    from upstream.service.practice.conversations import kept_from_needing_2_or_3

    if kept := kept_from_needing_2_or_3(teams):
        truth[("conversations", KEPT_LABEL)] = kept.conversation_1_only
        truth[("conversations", NEEDED_LABEL)] = kept.needed_2_or_3
    return truth


def _client(user, settings) -> Client:
    settings.UPSTREAM_TWO_FACTOR_FOR_STAFF = False  # sign-in is not under test here
    client = Client()
    client.force_login(user)
    return client


def _user(username, role, teams=()):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=None, role=role)
    user.teams.set(teams)
    return user


@pytest.fixture
def heart_centre(db):
    """The issue's shape: Heart Centre with one community-organisation referral and no
    self-referrals beside 20 GP referrals; a second team with more varied sources."""
    pathway = Pathway.objects.create(name="Attack pathway")
    heart = Team.objects.create(name="Heart Centre", pathway=pathway)
    other = Team.objects.create(name="Northside", pathway=pathway)
    rng = random.Random(8)
    count = itertools.count()

    def refer(team, source, n):
        for _ in range(n):
            i = next(count)
            person = Person.objects.create(
                nhs_number=nhs_number.synthetic(rng), given_name=f"Given{i}x",
                family_name=f"Family{i}q", date_of_birth=datetime.date(1970, 1, 1 + i % 28),
                ethnic_category=rng.choice("AAAHNRZ"), imd_decile=rng.choice([1, 2, 2, 5, 9]))
            submit_referral(person=person, team=team, source=source, needs=["money"],
                            consent_given=True)

    refer(heart, "gp", 20)
    refer(heart, "vcse", 1)
    refer(other, "gp", 13)
    refer(other, "vcse", 13)
    refer(other, "self", 4)
    return heart, other


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TEAM_LEAD])
def test_no_hidden_figure_on_the_insights_page_can_be_worked_out(heart_centre, role, settings):
    teams = [heart_centre[0]] if role == Role.TEAM_LEAD else list(heart_centre)
    client = _client(_user(f"attacker-{role}", role, teams), settings)
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    text = response.content.decode()
    assert _attack_page(text, _truth_of_page(Team.objects.filter(
        pk__in=[t.pk for t in teams]))) == {}


def test_the_demo_world_insights_page_withstands_the_attack(db, settings):
    from upstream.service.demo.world import build_demo_world

    build_demo_world(seed=11)
    for role in (Role.COMMISSIONER, Role.TEAM_LEAD):
        team = Team.objects.order_by("name").first()
        teams = [team] if role == Role.TEAM_LEAD else list(Team.objects.all())
        client = _client(_user(f"demo-attacker-{role}", role, teams), settings)
        text = client.get(reverse("insights:dashboard")).content.decode()
        truth = _truth_of_page(Team.objects.filter(pk__in=[t.pk for t in teams]))
        if role == Role.COMMISSIONER:  # the ED team works to the 3 Conversations
            assert "People supported by 3 Conversations teams" in text
        assert _attack_page(text, truth) == {}, role
