"""Live camera coaching benchmark: the whole pipeline at 640x480 against bare model inference.

1. Starts the real web app (uvicorn, create_app, temporary folders) in a child process.
2. A client sends JPEG frames of tests/fixtures/pose/walking.mp4 (letterboxed to 640x480, JPEG
   quality 0.7 as the player page encodes them) over /ws/camera with one frame in flight, as the
   page does, and measures frames per second and per-frame latency (send to answer) p50/p95.
3. The bare model on the same frames: mediapipe's video mode (``Pose(static_image_mode=False,
   model_complexity=1)``) called directly on decoded RGB frames, time per ``process()``; its
   passes alternate with the pipeline's, so both meet the same load on a shared machine.
4. Our overhead over bare inference: (pipeline latency - bare inference) / bare inference, on
   medians and means. It holds JPEG decoding, the colour conversion, the angles and the checks,
   JSON, the socket and the thread hop.
5. Frame-to-frame angle jitter on walking.mp4 (the pipeline's answers, one side all along): the
   median and p95 absolute change per angle between consecutive frames. Walking moves the legs,
   so this is an upper bound on the model's own noise.

Targets (issue #13): >= 25 frames/s, p95 <= 60 ms, overhead <= 15 %. Prints figures only; never
fails because something was slow. The client and the server share the machine's cores.
Run: .venv/bin/python bench/vision_live.py [--passes 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.local_server import free_port  # noqa: E402
from helpers.pose_photos import WALKING, letterboxed_frames  # noqa: E402

WIDTH, HEIGHT = 640, 480
JPEG_QUALITY = 70
WARM_UP = 20
ANGLES = ("forward_bend_deg", "knee_deficit_deg", "trunk_inclination_deg")

SERVE = """
import sys
import uvicorn
from deskstretch.config import Settings
from deskstretch.web.app import create_app

port = int(sys.argv[1])
uvicorn.run(create_app(Settings.from_env(), port=port), host="127.0.0.1", port=port,
            log_level="warning")
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class BareModel:
    """mediapipe's video mode called directly: seconds per ``process()`` on decoded RGB frames."""

    def __init__(self, frames: list[Any]) -> None:
        import warnings

        import cv2

        os.environ.setdefault("GLOG_minloglevel", "2")
        warnings.filterwarnings(
            "ignore", message=r"SymbolDatabase\.GetPrototype", category=UserWarning
        )
        from deskstretch.vision.pose_model import quiet_stderr

        with quiet_stderr():  # mediapipe's C++ start-up lines
            import mediapipe as mp

            self.pose = mp.solutions.pose.Pose(static_image_mode=False, model_complexity=1)
            self.rgb = [cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) for frame in frames]
            for image in self.rgb[:WARM_UP]:
                self.pose.process(image)
        self.times: list[float] = []
        self.sides: list[str] = []

    def one_pass(self) -> None:
        from deskstretch.core.body_angles import Landmark, facing_side

        for image in self.rgb:
            start = time.perf_counter()
            result = self.pose.process(image)
            self.times.append(time.perf_counter() - start)
            if result.pose_landmarks is not None and len(self.sides) < len(self.rgb):
                marks = [
                    Landmark(p.x * WIDTH, p.y * HEIGHT, p.visibility)
                    for p in result.pose_landmarks.landmark
                ]
                self.sides.append(facing_side(marks).value)

    @property
    def side(self) -> str:
        """The side facing the camera in most frames."""
        return max(set(self.sides), key=self.sides.count) if self.sides else "left"

    def close(self) -> None:
        self.pose.close()


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env["DESKSTRETCH_CONFIG_DIR"] = str(folder / "config")
    env["DESKSTRETCH_DATA_DIR"] = str(folder / "data")
    log = (folder / "server.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port)], env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/routines", timeout=2):
                return child, port
        except OSError:
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                raise SystemExit((folder / "server.log").read_text()) from None
            time.sleep(0.1)


def interleaved(jpegs: list[bytes], bare: BareModel, port: int, passes: int) -> dict[str, Any]:
    """Alternate passes of bare inference and of the pipeline (frames over /ws/camera, one in
    flight), so both meet the same load on a shared machine: latencies, time, first answers."""
    from websockets.sync.client import connect
    from websockets.typing import Origin

    url = f"ws://127.0.0.1:{port}/ws/camera"
    origin = Origin(f"http://127.0.0.1:{port}")
    latencies: list[float] = []
    answers: list[dict[str, Any]] = []
    wall = 0.0
    with connect(url, origin=origin, max_size=2**20) as socket:
        assert json.loads(socket.recv())["type"] == "ready"
        bare.one_pass()  # also finds the camera-facing side, measured all along
        aim = {"type": "aim", "exercise_id": "seated-hamstring-hinge", "side": bare.side}
        socket.send(json.dumps(aim))
        assert json.loads(socket.recv())["type"] == "aim"
        for jpeg in jpegs[:WARM_UP]:
            socket.send(jpeg)
            socket.recv()
        for n in range(passes):
            if n:
                bare.one_pass()
            began = time.perf_counter()
            for jpeg in jpegs:
                start = time.perf_counter()
                socket.send(jpeg)
                answer = json.loads(socket.recv())
                latencies.append(time.perf_counter() - start)
                if n == 0:
                    answers.append(answer)
            wall += time.perf_counter() - began
    return {"latencies": latencies, "wall": wall, "answers": answers}


def jitter(answers: list[dict[str, Any]]) -> dict[str, tuple[float, float, int]]:
    """Per angle: median and p95 absolute change between consecutive frames, and pairs used."""
    result = {}
    for name in ANGLES:
        values = [a["angles"][name] if a.get("angles") else None for a in answers]
        steps = [
            abs(b - a) for a, b in itertools.pairwise(values) if a is not None and b is not None
        ]
        result[name] = (statistics.median(steps), percentile(steps, 0.95), len(steps))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="times through the 102 frames")
    args = parser.parse_args()
    import cv2

    frames = letterboxed_frames(WALKING, WIDTH, HEIGHT)
    quality = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    jpegs = [cv2.imencode(".jpg", frame, quality)[1].tobytes() for frame in frames]
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"clip: {WALKING.name}, {len(frames)} frames letterboxed to {WIDTH}x{HEIGHT}, JPEG"
        f" {statistics.mean(map(len, jpegs)) / 1000:.1f} KB on average; {args.passes} passes"
    )

    bare_model = BareModel(frames)
    with tempfile.TemporaryDirectory(prefix="deskstretch-bench-") as folder:
        child, port = start_server(Path(folder))
        try:
            run = interleaved(jpegs, bare_model, port, args.passes)
        finally:
            child.terminate()
            child.wait(timeout=10)
            bare_model.close()
    bare, side = bare_model.times, bare_model.side
    latencies = run["latencies"]
    fps = len(latencies) / run["wall"]
    found = sum(1 for a in run["answers"] if a.get("found"))
    ms = 1000.0
    print()
    print("live pipeline (browser-like client -> /ws/camera -> model -> JSON), one frame in flight")
    print(f"  frames/s           {fps:6.1f}   (target >= 25)")
    print(
        f"  latency p50 / p95  {percentile(latencies, 0.5) * ms:6.1f} /"
        f" {percentile(latencies, 0.95) * ms:.1f} ms   (target p95 <= 60 ms)"
    )
    print(f"  person found       {found}/{len(run['answers'])} frames (first pass)")
    print("bare inference (mediapipe video mode, process() on decoded RGB frames)")
    print(
        f"  per frame p50 / p95 {percentile(bare, 0.5) * ms:6.1f} /"
        f" {percentile(bare, 0.95) * ms:.1f} ms, mean {statistics.mean(bare) * ms:.1f} ms"
        f" ({1 / statistics.mean(bare):.1f} frames/s)"
    )
    over_median = percentile(latencies, 0.5) / percentile(bare, 0.5) - 1
    over_mean = statistics.mean(latencies) / statistics.mean(bare) - 1
    print(
        f"our overhead over bare inference: {over_median * 100:+.1f} % (medians),"
        f" {over_mean * 100:+.1f} % (means)   (target <= 15 %)"
    )
    print(f"frame-to-frame angle jitter on walking.mp4 ({side} side, degrees)")
    for name, (median, p95, pairs) in jitter(run["answers"]).items():
        print(f"  {name:24s} median {median:5.1f}  p95 {p95:5.1f}  ({pairs} frame pairs)")


if __name__ == "__main__":
    main()
