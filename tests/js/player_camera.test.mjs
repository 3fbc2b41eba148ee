// Camera coaching's rules in the player's state machine (static/js/player/core.js): the hold
// clock the camera's gate stops and starts, the steady gate, and how often cues are spoken.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CueThrottle,
  GATE_IN_SECONDS,
  GATE_OUT_SECONDS,
  Player,
  PositionGate,
} from "../../src/deskstretch/web/static/js/player/core.js";

const ORIGIN = 1000;

function segment(index, kind, start, duration, extra = {}) {
  return {
    index, kind, step_index: 0, start_seconds: start, duration_seconds: duration,
    side: "left", side_label: "left leg", title: kind, exercise_name: "hinge",
    reps: 0, rep_seconds: 0, ...extra,
  };
}

// Get ready 3 s, hold 10 s, rest 2 s, reps 4 s: 19 s.
const SEGMENTS = [
  segment(0, "get_ready", 0, 3),
  segment(1, "hold", 3, 10),
  segment(2, "rest", 13, 2),
  segment(3, "reps", 15, 4, { reps: 2, rep_seconds: 2 }),
];
const STEPS = [{ planned_seconds: 14 }];

function playedTo(at) {
  const p = new Player(SEGMENTS, STEPS, ORIGIN, 3);
  p.advance(ORIGIN);
  p.advance(ORIGIN + at);
  return p;
}

function kinds(events) {
  return events.map((e) => e.kind);
}

describe("Player: the camera's hold gate", () => {
  it("holding stops a hold's clock and releasing carries on where it stood", () => {
    const p = playedTo(5); // 2 s into the hold
    assert.deepEqual(kinds(p.hold(ORIGIN + 5)), ["held"]);
    assert.equal(p.held, true);
    assert.equal(p.view(ORIGIN + 9).remaining, 8);
    assert.equal(p.nextDeadline(), null);
    assert.deepEqual(p.advance(ORIGIN + 30), []); // long past its end: still held
    assert.deepEqual(kinds(p.release(ORIGIN + 30)), ["released"]);
    assert.equal(p.view(ORIGIN + 30).remaining, 8);
    assert.equal(p.nextDeadline(), ORIGIN + 30 + 8);
  });

  it("seconds held out of position are not recorded as done", () => {
    const p = playedTo(5);
    p.hold(ORIGIN + 5);
    p.release(ORIGIN + 25); // 20 s out of position
    p.advance(ORIGIN + 33); // the hold ends 8 s later
    assert.equal(p.index(), 2);
    const [step] = p.summary();
    assert.equal(step.seconds_left, 10);
    assert.equal(step.completed, false); // the reps are still to come
  });

  it("only a hold segment can be held", () => {
    const p = playedTo(1); // get ready
    assert.deepEqual(p.hold(ORIGIN + 1), []);
    assert.equal(p.held, false);
    const r = playedTo(16); // reps
    assert.deepEqual(r.hold(ORIGIN + 16), []);
  });

  it("holding late first starts the segments passed, then holds the hold", () => {
    const p = playedTo(1);
    assert.deepEqual(kinds(p.hold(ORIGIN + 4)), ["segment_started", "held"]);
    assert.equal(p.view(ORIGIN + 50).elapsed, 1);
  });

  it("pause, skip, back and quit release the gate first, so no held time is counted", () => {
    const paused = playedTo(5);
    paused.hold(ORIGIN + 5);
    assert.deepEqual(kinds(paused.pause(ORIGIN + 9)), ["released", "paused"]);
    assert.equal(paused.view(ORIGIN + 20).remaining, 8);
    paused.resume(ORIGIN + 20);
    assert.equal(paused.view(ORIGIN + 21).remaining, 7);

    const skipped = playedTo(5);
    skipped.hold(ORIGIN + 5);
    assert.deepEqual(kinds(skipped.skip(ORIGIN + 40)), ["released", "segment_started"]);
    assert.equal(skipped.summary()[0].seconds_left, 2);

    const quit = playedTo(5);
    quit.hold(ORIGIN + 5);
    assert.deepEqual(kinds(quit.quit(ORIGIN + 40)), ["released", "quit"]);
    assert.equal(quit.summary()[0].seconds_left, 2);
    assert.deepEqual(quit.hold(ORIGIN + 41), []);

    const back = playedTo(9);
    back.hold(ORIGIN + 9);
    assert.deepEqual(kinds(back.back(ORIGIN + 40)), ["released", "segment_started"]);
    assert.equal(back.view(ORIGIN + 40).remaining, 10); // the hold starts again
  });

  it("a paused player cannot be held, and release without a hold does nothing", () => {
    const p = playedTo(5);
    p.pause(ORIGIN + 5);
    assert.deepEqual(p.hold(ORIGIN + 6), []);
    assert.deepEqual(p.release(ORIGIN + 6), []);
  });
});

describe("PositionGate: a steady signal from frame verdicts", () => {
  it("starts out of position and opens only after the position is seen for a while", () => {
    const gate = new PositionGate();
    assert.equal(gate.update(true, 0), false);
    assert.equal(gate.update(true, GATE_IN_SECONDS / 2), false);
    assert.equal(gate.update(true, GATE_IN_SECONDS), true);
  });

  it("one stray frame never closes it; a steady wrong position does", () => {
    const gate = new PositionGate();
    gate.update(true, 0);
    gate.update(true, 1);
    assert.equal(gate.update(false, 1.1), true);
    assert.equal(gate.update(true, 1.15), true); // back in: the stray frame is forgotten
    assert.equal(gate.update(false, 2), true);
    assert.equal(gate.update(false, 2 + GATE_OUT_SECONDS), false);
  });

  it("reset starts out of position again", () => {
    const gate = new PositionGate();
    gate.update(true, 0);
    gate.update(true, 1);
    gate.reset();
    assert.equal(gate.inPosition, false);
  });
});

describe("CueThrottle: spoken cues not more than every few seconds", () => {
  it("says a cue once it is steady, then not again before the repeat time", () => {
    const t = new CueThrottle({ steady: 1, gap: 4, repeat: 10 });
    assert.equal(t.next("Sit up tall", 0), null);
    assert.equal(t.next("Sit up tall", 1), "Sit up tall");
    assert.equal(t.next("Sit up tall", 6), null);
    assert.equal(t.next("Sit up tall", 11), "Sit up tall");
  });

  it("a flickering cue is never said; a new steady cue waits for the gap", () => {
    const t = new CueThrottle({ steady: 1, gap: 4, repeat: 10 });
    t.next("A", 0);
    assert.equal(t.next("A", 1), "A");
    for (let i = 0; i < 10; i += 1) {
      assert.equal(t.next(i % 2 ? "B" : null, 1.2 + i * 0.3), null);
    }
    assert.equal(t.next("C", 5), null);
    assert.equal(t.next("C", 6), "C");
  });

  it("quiet() leaves room for the segment's own cue", () => {
    const t = new CueThrottle({ steady: 1, gap: 4, repeat: 10 });
    t.next("A", 0);
    t.quiet(0.5);
    assert.equal(t.next("A", 2), null);
    assert.equal(t.next("A", 4.5), "A");
  });
});
