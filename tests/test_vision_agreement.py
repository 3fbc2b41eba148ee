"""The goniometer study's tools (docs/vision-validation.md): bench/vision_agreement.py, the
Bland-Altman analysis, on small made-up data sheets with hand-computed figures; and
bench/vision_angles.py, the app's exact angles, on a real photo."""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "vision_agreement.py"
ANGLES_SCRIPT = ROOT / "bench" / "vision_angles.py"
PUSHUPS = ROOT / "tests" / "fixtures" / "pose" / "pushups-side-view.jpg"
HEADER = "participant,test,angle,trial,reference_deg,app_deg,excluded,notes\n"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vision_agreement", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vision_agreement"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _run(sheet: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(sheet), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def _sheet(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "study.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def _study_rows() -> list[str]:
    """20 people: knee deficit off by +3 for ten and -1 for ten (bias 1, SD sqrt(80/19));
    forward bend off by +4 for everyone bar a spread (bias 4: fails); trunk inclination on 3."""
    rows = []
    for person in range(1, 21):
        reference = 5.0 + person
        knee_app = reference + (3.0 if person <= 10 else -1.0)
        rows.append(f"P{person:02},chair_sit_and_reach,knee_deficit,1,{reference},{knee_app},,")
        bend_reference = 60.0 + 2 * person
        bend_app = bend_reference + 4.0 + (0.5 if person % 2 else -0.5)
        rows.append(
            f"P{person:02},chair_sit_and_reach,forward_bend,1,{bend_reference},{bend_app},,"
        )
    for person, (reference, app) in enumerate([(20, 21), (30, 29), (25, 27)], start=1):
        rows.append(
            f"P{person:02},standing_forward_bend,trunk_inclination,1,{reference},{app},,inclinometer"
        )
    return rows


def test_one_trial_each_gives_the_classic_bland_altman_figures(tmp_path: Path) -> None:
    va = _script()
    by_angle = va.read_sheet(_sheet(tmp_path, _study_rows()))
    knee = va.agreement("knee_deficit", by_angle["knee_deficit"])
    sd = math.sqrt(80 / 19)  # differences 3 and -1 around a mean of 1, n - 1 = 19
    assert knee.participants == 20
    assert knee.trials == 20
    assert knee.bias == pytest.approx(1.0)
    assert knee.sd == pytest.approx(sd)
    assert knee.lower == pytest.approx(1.0 - 1.96 * sd)
    assert knee.upper == pytest.approx(1.0 + 1.96 * sd)
    half = 2.093 * sd / math.sqrt(20)  # t(0.975, 19) = 2.093
    assert knee.bias_ci == pytest.approx((1.0 - half, 1.0 + half))
    assert knee.passes()


def test_the_verdicts_follow_the_acceptance_rule(tmp_path: Path) -> None:
    done = _run(_sheet(tmp_path, _study_rows()))
    assert done.returncode == 1, done.stdout + done.stderr
    verdicts = {line.split()[0]: line.rsplit("  ", 1)[-1] for line in done.stdout.splitlines()[2:5]}
    assert verdicts == {
        "forward_bend": "FAIL",
        "knee_deficit": "PASS",
        "trunk_inclination": "INCONCLUSIVE (3 < 20 participants)",
    }
    assert "+1.0" in done.stdout  # the knee bias
    assert "-3.0 to +5.0" in done.stdout  # 1 -/+ 1.96 x 2.052


def test_a_sheet_where_every_angle_passes_exits_zero(tmp_path: Path) -> None:
    rows = [row for row in _study_rows() if ",knee_deficit," in row]
    done = _run(_sheet(tmp_path, rows))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
    assert "FAIL" not in done.stdout


def test_repeated_trials_combine_between_and_within_person_variance(tmp_path: Path) -> None:
    # A's differences 1 and 3, B's 5 and 7: MS within = 2, MS between = 16, divisor 2,
    # between variance (16 - 2) / 2 = 7, total 7 + 2 = 9 (Bland & Altman 2007): SD 3.
    rows = [
        "A,chair_sit_and_reach,forward_bend,1,50,51,,",
        "A,chair_sit_and_reach,forward_bend,2,50,53,,",
        "B,chair_sit_and_reach,forward_bend,1,70,75,,",
        "B,chair_sit_and_reach,forward_bend,2,70,77,,",
    ]
    va = _script()
    result = va.agreement("forward_bend", va.read_sheet(_sheet(tmp_path, rows))["forward_bend"])
    assert result.participants == 2
    assert result.trials == 4
    assert result.bias == pytest.approx(4.0)
    assert result.sd == pytest.approx(3.0)
    assert (result.lower, result.upper) == pytest.approx((4.0 - 5.88, 4.0 + 5.88))


def test_excluded_rows_are_left_out(tmp_path: Path) -> None:
    rows = [
        "A,chair_sit_and_reach,knee_deficit,1,10,11,,",
        "B,chair_sit_and_reach,knee_deficit,1,12,11,,",
        "C,chair_sit_and_reach,knee_deficit,1,10,40,yes,moved during the photo",
    ]
    va = _script()
    pairs = va.read_sheet(_sheet(tmp_path, rows))["knee_deficit"]
    assert [pair.participant for pair in pairs] == ["A", "B"]
    assert va.agreement("knee_deficit", pairs).bias == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,chair_sit_and_reach,knee_deficit,1,ten,11,,", "row 2, column reference_deg"),
        ("A,chair_sit_and_reach,knee,1,10,11,,", "row 2, column angle"),
        ("A,sit_and_reach,knee_deficit,1,10,11,,", "row 2, column test"),
        (",chair_sit_and_reach,knee_deficit,1,10,11,,", "row 2, column participant: empty"),
        ("A,chair_sit_and_reach,knee_deficit,1,10,nan,,", "row 2, column app_deg"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_reported(tmp_path: Path, row: str, message: str) -> None:
    done = _run(_sheet(tmp_path, [row, "B,chair_sit_and_reach,knee_deficit,1,12,11,,"]))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_repeated_trial_and_a_missing_column_are_named(tmp_path: Path) -> None:
    twice = _run(
        _sheet(
            tmp_path,
            [
                "A,chair_sit_and_reach,knee_deficit,1,10,11,,",
                "A,chair_sit_and_reach,knee_deficit,1,10,12,,",
            ],
        )
    )
    assert twice.returncode == 2
    assert "row 3: participant A" in twice.stderr
    no_app = tmp_path / "no_app.csv"
    no_app.write_text("participant,test,angle,trial,reference_deg\nA,x,y,1,2\n", encoding="utf-8")
    missing = _run(no_app)
    assert missing.returncode == 2
    assert "missing column(s) app_deg" in missing.stderr


def test_students_t_matches_the_table_and_the_normal_limit() -> None:
    va = _script()
    assert va.t_975(19) == pytest.approx(2.093)
    assert va.t_975(40) == pytest.approx(2.021, abs=0.001)
    assert va.t_975(120) == pytest.approx(1.980, abs=0.001)
    assert va.t_975(100_000) == pytest.approx(1.960, abs=0.001)


def test_one_test_position_and_a_plot(tmp_path: Path) -> None:
    rows = [*_study_rows(), "P01,standing_forward_bend,knee_deficit,1,10,30,,"]
    picture = tmp_path / "agreement.png"
    done = _run(_sheet(tmp_path, rows), "--test", "chair_sit_and_reach", "--plot", str(picture))
    assert done.returncode == 1, done.stdout + done.stderr
    table = done.stdout.splitlines()
    assert [line.split()[0] for line in table[2:4]] == ["forward_bend", "knee_deficit"]
    assert table[3].split()[1:3] == ["20", "20"]  # the standing row left out
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_exact_angles_of_a_real_side_view_photo(tmp_path: Path) -> None:
    # The top frame of the push-up photo: a piked plank, straight knees, seen from the right.
    import cv2

    plank = tmp_path / "plank.jpg"
    image = cv2.imread(str(PUSHUPS))
    assert image is not None
    assert cv2.imwrite(str(plank), image[:225])
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("goniometer readings, not a photo\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            str(ANGLES_SCRIPT),
            "--test",
            "standing_forward_bend",
            str(plank),
            str(plank),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("median of 2: forward_bend ")
    figures = {name: float(value) for name, value in re.findall(r"(\w+) (-?\d+\.\d)\b", last)}
    assert 20.0 <= figures["forward_bend"] <= 40.0  # shoulder-hip-knee about 151 deg
    assert figures["knee_deficit"] <= 10.0
    assert "(right side)" in last
    refused = subprocess.run(
        [sys.executable, str(ANGLES_SCRIPT), "--test", "chair_sit_and_reach", str(not_a_photo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "notes.jpg" in refused.stderr
    assert "not a photo" in refused.stderr
    assert "Traceback" not in refused.stderr
