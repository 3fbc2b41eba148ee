"""The app's exact angles for a few photos, for the goniometer study (docs/vision-validation.md).

Runs the same assessment as ``deskstretch assess`` (the same model, quality gates and median of
the photos that count) but stores nothing and prints the angles unrounded, to one decimal, with
the gates each photo failed. Needs the vision extra.

    .venv/bin/python bench/vision_angles.py --test chair_sit_and_reach P01-1a.jpg P01-1b.jpg ...

Exit status: 0 when at least one photo counts, 1 when none does, 2 when a file cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deskstretch.core.body_angles import BodyAngles, PhotoTest, median_angles  # noqa: E402
from deskstretch.core.errors import DeskstretchError  # noqa: E402


def describe(angles: BodyAngles) -> str:
    return (
        f"forward_bend {angles.forward_bend_deg:.1f}, knee_deficit {angles.knee_deficit_deg:.1f},"
        f" trunk_inclination {angles.trunk_inclination_deg:.1f} ({angles.side.value} side)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--test", required=True, choices=[test.value for test in PhotoTest])
    parser.add_argument("photos", nargs="+", type=Path, help="the photos of one trial")
    args = parser.parse_args(argv)
    try:
        from deskstretch.vision import assess_photo, load_photo, open_pose_model

        test = PhotoTest(args.test)
        counted: list[BodyAngles] = []
        with open_pose_model() as model:
            for path in args.photos:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    raise DeskstretchError(f"{path}: cannot be read ({error})") from None
                check = assess_photo(load_photo(str(path), data), test, model).check
                gates = ", ".join(problem.problem.value for problem in check.problems)
                if check.angles is None:
                    print(f"{path}: does not count ({gates})")
                    continue
                verdict = "counts" if check.counts else f"does not count ({gates})"
                print(f"{path}: {verdict}: {describe(check.angles)}")
                if check.counts:
                    counted.append(check.angles)
        if not counted:
            print("no photo counts: no median")
            return 1
        print(f"median of {len(counted)}: {describe(median_angles(counted))}")
        return 0
    except DeskstretchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
