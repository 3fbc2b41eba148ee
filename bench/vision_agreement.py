"""Agreement between deskstretch's photo angles and a goniometer or inclinometer (Bland-Altman).

Reads the data sheet of the validation study in docs/vision-validation.md (a CSV, one row per
trial: a participant, a test position, an angle, the reference instrument's reading and the app's
reading, both in degrees in the app's convention) and prints, for each angle:

- the number of participants and of trials;
- the bias (mean of app - reference) with a 95% confidence interval, the SD of the differences
  and the 95% limits of agreement, LoA = bias +/- 1.96 SD;
- the slope of the differences against the pair means (proportional bias, for information);
- the verdict against domain.md §5.3: |bias| <= 3 deg and both limits within +/-10 deg, on at
  least 20 participants.

With one trial per participant this is the classic Bland-Altman analysis (1986). With several
trials per participant the SD of the differences combines the between- and within-participant
variance from a one-way analysis of variance (Bland and Altman 2007, "true value varies"), so
repeated trials neither shrink nor inflate the limits.

    .venv/bin/python bench/vision_agreement.py DATA.csv [--test NAME] [--plot FILE.png]
                                               [--min-participants 20]

``--test`` keeps one test position (chair_sit_and_reach or standing_forward_bend); ``--plot``
also saves the Bland-Altman plots (difference against mean, one panel per angle) as a PNG.

Exit status: 0 every angle passes, 1 an angle fails or has too few participants, 2 the file
cannot be read (the message names the row and the column). Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ANGLES = ("forward_bend", "knee_deficit", "trunk_inclination")
TESTS = ("chair_sit_and_reach", "standing_forward_bend")
REQUIRED_COLUMNS = ("participant", "test", "angle", "trial", "reference_deg", "app_deg")
MAX_BIAS_DEG = 3.0
MAX_LIMIT_DEG = 10.0
MIN_PARTICIPANTS = 20
Z_95 = 1.96

# Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom (standard tables).
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


class DataError(ValueError):
    """The data sheet cannot be analysed; the message names the row and column."""


@dataclass(frozen=True)
class Pair:
    """One trial: the reference reading and the app's reading, in degrees."""

    participant: str
    reference_deg: float
    app_deg: float

    @property
    def difference(self) -> float:
        return self.app_deg - self.reference_deg

    @property
    def mean(self) -> float:
        return (self.app_deg + self.reference_deg) / 2.0


@dataclass(frozen=True)
class Agreement:
    """Bland-Altman figures for one angle."""

    angle: str
    participants: int
    trials: int
    bias: float
    bias_ci: tuple[float, float] | None
    sd: float
    lower: float
    upper: float
    slope: float | None

    def passes(self, min_participants: int = MIN_PARTICIPANTS) -> bool:
        return (
            self.participants >= min_participants
            and abs(self.bias) <= MAX_BIAS_DEG
            and self.lower >= -MAX_LIMIT_DEG
            and self.upper <= MAX_LIMIT_DEG
        )

    def verdict(self, min_participants: int = MIN_PARTICIPANTS) -> str:
        if self.participants < min_participants:
            return f"INCONCLUSIVE ({self.participants} < {min_participants} participants)"
        return "PASS" if self.passes(min_participants) else "FAIL"


def t_975(degrees_of_freedom: int) -> float:
    """Two-sided 95% quantile of Student's t: the table up to 30, a Cornish-Fisher series above."""
    if degrees_of_freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if degrees_of_freedom <= len(_T_975):
        return _T_975[degrees_of_freedom - 1]
    z, v = Z_95, float(degrees_of_freedom)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


def difference_sd(pairs: list[Pair]) -> float:
    """SD of app - reference, allowing several trials per participant (Bland & Altman 2007)."""
    groups: dict[str, list[float]] = defaultdict(list)
    for pair in pairs:
        groups[pair.participant].append(pair.difference)
    total = len(pairs)
    subjects = len(groups)
    if total < 2:
        raise DataError("at least two trials are needed to estimate a spread")
    if subjects == total:  # one trial each: the ordinary sample SD
        return statistics.stdev(pair.difference for pair in pairs)
    grand = sum(pair.difference for pair in pairs) / total
    within_ss = sum(sum((d - statistics.fmean(ds)) ** 2 for d in ds) for ds in groups.values())
    within_ms = within_ss / (total - subjects)
    if subjects == 1:
        return math.sqrt(within_ms)
    between_ss = sum(len(ds) * (statistics.fmean(ds) - grand) ** 2 for ds in groups.values())
    between_ms = between_ss / (subjects - 1)
    divisor = (total**2 - sum(len(ds) ** 2 for ds in groups.values())) / ((subjects - 1) * total)
    between_var = max(0.0, (between_ms - within_ms) / divisor)
    return math.sqrt(between_var + within_ms)


def proportional_slope(pairs: list[Pair]) -> float | None:
    """Least-squares slope of the differences on the pair means (None if the means do not vary)."""
    means = [pair.mean for pair in pairs]
    if len(pairs) < 3 or max(means) == min(means):
        return None
    return statistics.linear_regression(means, [pair.difference for pair in pairs]).slope


def agreement(angle: str, pairs: list[Pair]) -> Agreement:
    """Bias, SD and 95% limits of agreement of one angle's trials."""
    differences = [pair.difference for pair in pairs]
    bias = statistics.fmean(differences)
    sd = difference_sd(pairs)
    by_participant: dict[str, list[float]] = defaultdict(list)
    for pair in pairs:
        by_participant[pair.participant].append(pair.difference)
    subject_means = [statistics.fmean(ds) for ds in by_participant.values()]
    bias_ci: tuple[float, float] | None = None
    if len(subject_means) >= 2:
        half = (
            t_975(len(subject_means) - 1)
            * statistics.stdev(subject_means)
            / math.sqrt(len(subject_means))
        )
        bias_ci = (bias - half, bias + half)
    return Agreement(
        angle=angle,
        participants=len(by_participant),
        trials=len(pairs),
        bias=bias,
        bias_ci=bias_ci,
        sd=sd,
        lower=bias - Z_95 * sd,
        upper=bias + Z_95 * sd,
        slope=proportional_slope(pairs),
    )


def _number(row: dict[str, str], column: str, line: int) -> float:
    text = (row.get(column) or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"row {line}, column {column}: expected degrees, found {text!r}") from None
    if not math.isfinite(value) or not -180.0 <= value <= 360.0:
        raise DataError(f"row {line}, column {column}: {text} is not an angle in degrees")
    return value


def read_sheet(path: Path, only_test: str | None = None) -> dict[str, list[Pair]]:
    """The trials of a data sheet, by angle. Rows with ``excluded`` set to yes are left out, and
    rows of other tests when ``only_test`` is given."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot read it as a UTF-8 CSV file ({error})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    by_angle: dict[str, list[Pair]] = defaultdict(list)
    seen: set[tuple[str, str, str, str]] = set()
    for line, row in enumerate(reader, start=2):
        if (row.get("excluded") or "").strip().lower() in {"yes", "y", "true", "1"}:
            continue
        participant = (row.get("participant") or "").strip()
        if not participant:
            raise DataError(f"row {line}, column participant: empty")
        test = (row.get("test") or "").strip()
        if test not in TESTS:
            raise DataError(f"row {line}, column test: expected one of {', '.join(TESTS)}")
        angle = (row.get("angle") or "").strip()
        if angle not in ANGLES:
            raise DataError(f"row {line}, column angle: expected one of {', '.join(ANGLES)}")
        trial = (row.get("trial") or "").strip()
        key = (participant, test, angle, trial)
        if key in seen:
            raise DataError(
                f"row {line}: participant {participant}, {test}, {angle}, trial {trial!r}"
                " appears twice"
            )
        seen.add(key)
        if only_test is not None and test != only_test:
            continue
        by_angle[angle].append(
            Pair(
                participant=participant,
                reference_deg=_number(row, "reference_deg", line),
                app_deg=_number(row, "app_deg", line),
            )
        )
    if not by_angle:
        chosen = f" for {only_test}" if only_test else ""
        raise DataError(f"{path}: no trials{chosen} (every row empty or excluded)")
    return dict(by_angle)


def _signed(value: float) -> str:
    return f"{value:+.1f}"


def report(results: list[Agreement], min_participants: int) -> str:
    lines = [
        f"{'angle':<18} {'people':>6} {'trials':>6} {'bias':>6} {'bias 95% CI':>15}"
        f" {'SD':>5} {'95% limits of agreement':>24} {'slope':>6}  verdict",
    ]
    lines.append("-" * len(lines[0]))
    for result in results:
        ci = (
            f"{_signed(result.bias_ci[0])} to {_signed(result.bias_ci[1])}"
            if result.bias_ci
            else "-"
        )
        slope = f"{result.slope:+.2f}" if result.slope is not None else "-"
        limits = f"{_signed(result.lower)} to {_signed(result.upper)}"
        lines.append(
            f"{result.angle:<18} {result.participants:>6} {result.trials:>6}"
            f" {_signed(result.bias):>6} {ci:>15} {result.sd:5.1f} {limits:>24} {slope:>6}"
            f"  {result.verdict(min_participants)}"
        )
    lines.append(
        f"\ndifferences are app - reference, in degrees; pass: |bias| <= {MAX_BIAS_DEG:.0f}, both"
        f" limits within +/-{MAX_LIMIT_DEG:.0f}, at least {min_participants} participants"
    )
    return "\n".join(lines)


def plot(results: list[Agreement], by_angle: dict[str, list[Pair]], path: Path) -> None:
    """Bland-Altman plots: app - reference against their mean, bias and limits as lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(results), figsize=(5 * len(results), 4), squeeze=False)
    for axis, result in zip(axes[0], results, strict=True):
        pairs = by_angle[result.angle]
        axis.scatter([p.mean for p in pairs], [p.difference for p in pairs], s=14)
        for value, style in ((result.bias, "-"), (result.lower, "--"), (result.upper, "--")):
            axis.axhline(value, linestyle=style, color="black", linewidth=1)
        for value in (-MAX_LIMIT_DEG, MAX_LIMIT_DEG):
            axis.axhline(value, linestyle=":", color="red", linewidth=1)
        axis.set_title(f"{result.angle} ({result.participants} people)")
        axis.set_xlabel("mean of app and reference (deg)")
        axis.set_ylabel("app - reference (deg)")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sheet", type=Path, help="the study's CSV data sheet")
    parser.add_argument(
        "--min-participants",
        type=int,
        default=MIN_PARTICIPANTS,
        help=f"participants needed per angle for a verdict (default {MIN_PARTICIPANTS})",
    )
    parser.add_argument("--test", choices=TESTS, help="analyse one test position only")
    parser.add_argument("--plot", type=Path, metavar="FILE.png", help="save Bland-Altman plots")
    args = parser.parse_args(argv)
    try:
        by_angle = read_sheet(args.sheet, args.test)
        results = [agreement(angle, by_angle[angle]) for angle in ANGLES if angle in by_angle]
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(results, args.min_participants))
    if args.plot is not None:
        plot(results, by_angle, args.plot)
        print(f"plots saved to {args.plot}")
    return 0 if all(result.passes(args.min_participants) for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
