// The browser player's state machine (static/js/player/core.js), driven by hand-picked times:
// no DOM, no clock. tests/e2e/test_browser_player.py checks it against core/player.py too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  describeNext,
  formatClock,
  formatDuration,
  Player,
  shareDone,
} from "../../src/deskstretch/web/static/js/player/core.js";

const ORIGIN = 1000;
const BACK_RESTART_SECONDS = 3;

function segment(index, kind, stepIndex, start, duration, extra = {}) {
  return {
    index, kind, step_index: stepIndex, start_seconds: start, duration_seconds: duration,
    side: "both", side_label: "", title: kind, exercise_name: `exercise ${stepIndex}`,
    reps: 0, rep_seconds: 0, ...extra,
  };
}

// Two reps of 2 s, then a 5 s hold on each leg with a switch between: 21 s in all.
const SEGMENTS = [
  segment(0, "get_ready", 0, 0, 3),
  segment(1, "reps", 0, 3, 4, { reps: 2, rep_seconds: 2 }),
  segment(2, "transition", 1, 7, 2),
  segment(3, "hold", 1, 9, 5, { side: "left", side_label: "left leg" }),
  segment(4, "switch_side", 1, 14, 2),
  segment(5, "hold", 1, 16, 5, { side: "right", side_label: "right leg" }),
];
const STEPS = [{ planned_seconds: 4 }, { planned_seconds: 10 }];
const TOTAL = 21;

function player() {
  return new Player(SEGMENTS, STEPS, ORIGIN, BACK_RESTART_SECONDS);
}

/** [kind, segment index] of each event, to compare in one assertion. */
function kinds(events) {
  return events.map((e) => [e.kind, e.segment ? e.segment.index : null]);
}

/** A player advanced to ``at`` seconds into the routine. */
function playedTo(at) {
  const p = player();
  p.advance(ORIGIN);
  p.advance(ORIGIN + at);
  return p;
}

describe("Player: playing along", () => {
  it("starts the first segment on the first advance, and only then", () => {
    const p = player();
    assert.deepEqual(kinds(p.advance(ORIGIN)), [["segment_started", 0]]);
    assert.deepEqual(kinds(p.advance(ORIGIN + 1)), []);
    const view = p.view(ORIGIN + 1);
    assert.equal(view.segment.index, 0);
    assert.equal(view.remaining, 2);
    assert.equal(view.next.index, 1);
    assert.equal(p.status, "playing");
  });

  it("an empty timeline is finished from the start", () => {
    const p = new Player([], [], ORIGIN, BACK_RESTART_SECONDS);
    assert.equal(p.status, "finished");
    assert.deepEqual(p.advance(ORIGIN + 5), []);
    assert.equal(p.nextDeadline(), null);
  });

  it("the countdown reaching zero starts the next segment, exactly at its end", () => {
    const p = playedTo(2.999);
    assert.equal(p.view(ORIGIN + 2.999).segment.index, 0);
    assert.equal(p.nextDeadline(), ORIGIN + 3);
    assert.deepEqual(kinds(p.advance(ORIGIN + 3)), [["segment_started", 1]]);
    assert.equal(p.view(ORIGIN + 3).remaining, 4);
    assert.equal(p.nextDeadline(), ORIGIN + 7);
  });

  it("counts reps from the elapsed time of a reps segment", () => {
    const p = playedTo(3.5);
    assert.equal(p.view(ORIGIN + 3.5).rep, 1);
    assert.equal(p.view(ORIGIN + 5.5).rep, 2);
    assert.equal(p.view(ORIGIN + 5).rep, 2, "the second rep starts exactly 2 s in");
    assert.equal(p.view(ORIGIN + 6.99).rep, 2);
    assert.equal(p.view(ORIGIN + 8).rep, 2, "never more reps than planned (before the advance)");
  });

  it("a late advance (a throttled tab) starts every segment passed, in order", () => {
    const p = player();
    const events = p.advance(ORIGIN + 10);
    assert.deepEqual(kinds(events), [0, 1, 2, 3].map((i) => ["segment_started", i]));
    const view = p.view(ORIGIN + 10);
    assert.equal(view.segment.index, 3);
    assert.equal(view.elapsed, 1);
  });

  it("changes sides: the left hold, the switch, then the right hold", () => {
    const p = playedTo(8);
    const events = p.advance(ORIGIN + 16);
    assert.deepEqual(kinds(events), [["segment_started", 3], ["segment_started", 4],
      ["segment_started", 5]]);
    assert.deepEqual(events.map((e) => e.segment.side), ["left", "both", "right"]);
    p.advance(ORIGIN + 18);
    const hinge = p.summary()[1];
    assert.equal(hinge.seconds_left, 5);
    assert.equal(hinge.seconds_right, 0, "the right side is counted when it is left");
    p.quit(ORIGIN + 18);
    assert.equal(p.summary()[1].seconds_right, 2);
    assert.equal(p.summary()[1].done_seconds, 7);
  });

  it("finishes at the end of the last segment, with every step completed", () => {
    const p = playedTo(20);
    assert.deepEqual(kinds(p.advance(ORIGIN + TOTAL)), [["finished", null]]);
    assert.equal(p.status, "finished");
    assert.deepEqual(p.advance(ORIGIN + TOTAL + 5), []);
    const view = p.view(ORIGIN + 100);
    assert.equal(view.segment, null);
    assert.equal(view.position, TOTAL);
    assert.equal(p.nextDeadline(), null);
    assert.deepEqual(p.summary(), [
      { step_index: 0, done_seconds: 4, seconds_left: 0, seconds_right: 0, seconds_both: 4,
        completed: true, skipped: false },
      { step_index: 1, done_seconds: 10, seconds_left: 5, seconds_right: 5, seconds_both: 0,
        completed: true, skipped: false },
    ]);
  });
});

describe("Player: pause and resume", () => {
  it("pause freezes the countdown and resume carries on where it stopped", () => {
    const p = playedTo(4);
    assert.deepEqual(kinds(p.pause(ORIGIN + 4)), [["paused", 1]]);
    assert.equal(p.status, "paused");
    assert.deepEqual(p.advance(ORIGIN + 60), [], "a paused player never moves on");
    assert.equal(p.view(ORIGIN + 60).remaining, 3);
    assert.equal(p.nextDeadline(), null);
    assert.deepEqual(kinds(p.resume(ORIGIN + 60)), [["resumed", 1]]);
    assert.equal(p.view(ORIGIN + 61).remaining, 2);
    assert.equal(p.nextDeadline(), ORIGIN + 63);
    assert.deepEqual(kinds(p.advance(ORIGIN + 63)), [["segment_started", 2]]);
  });

  it("time paused is not counted as exercise done", () => {
    const p = playedTo(4);
    p.pause(ORIGIN + 4);
    p.resume(ORIGIN + 60);
    p.quit(ORIGIN + 61);
    assert.equal(p.summary()[0].done_seconds, 2);
  });

  it("pausing late starts the segments passed first, then pauses", () => {
    const p = playedTo(1);
    assert.deepEqual(kinds(p.pause(ORIGIN + 3.5)), [["segment_started", 1], ["paused", 1]]);
  });

  it("togglePause alternates; resume when playing and pause when done do nothing", () => {
    const p = playedTo(1);
    assert.deepEqual(p.resume(ORIGIN + 1), []);
    assert.equal(p.togglePause(ORIGIN + 1)[0].kind, "paused");
    assert.equal(p.togglePause(ORIGIN + 2)[0].kind, "resumed");
    assert.equal(p.status, "playing");
    p.advance(ORIGIN + 100);
    assert.deepEqual(p.pause(ORIGIN + 101), []);
    assert.equal(p.status, "finished");
  });
});

describe("Player: skip and back", () => {
  it("skip starts the next segment now, from its beginning", () => {
    const p = playedTo(1);
    assert.deepEqual(kinds(p.skip(ORIGIN + 1)), [["segment_started", 1]]);
    const view = p.view(ORIGIN + 1);
    assert.equal(view.segment.index, 1);
    assert.equal(view.remaining, 4);
    assert.equal(p.nextDeadline(), ORIGIN + 5);
  });

  it("skip while paused moves on and stays paused", () => {
    const p = playedTo(4);
    p.pause(ORIGIN + 4);
    assert.deepEqual(kinds(p.skip(ORIGIN + 30)), [["segment_started", 2]]);
    assert.equal(p.status, "paused");
    assert.equal(p.view(ORIGIN + 50).remaining, 2);
    p.resume(ORIGIN + 50);
    assert.equal(p.view(ORIGIN + 51).remaining, 1);
  });

  it("skipping work leaves it not completed, and a skipped step under 1 s counts as skipped", () => {
    const p = playedTo(3.5);
    p.skip(ORIGIN + 3.5);
    p.advance(ORIGIN + 100);
    const [tilts, hinge] = p.summary();
    assert.equal(tilts.done_seconds, 0.5);
    assert.equal(tilts.completed, false);
    assert.equal(tilts.skipped, true);
    assert.equal(hinge.completed, true);
    assert.equal(hinge.skipped, false);
  });

  it("skip on the last segment finishes the routine", () => {
    const p = playedTo(17);
    assert.deepEqual(kinds(p.skip(ORIGIN + 17)), [["finished", null]]);
    assert.equal(p.status, "finished");
    assert.equal(p.summary()[1].seconds_right, 1);
    assert.equal(p.summary()[1].completed, false);
  });

  it("back restarts a segment well under way", () => {
    const p = playedTo(6.5);
    assert.deepEqual(kinds(p.back(ORIGIN + 6.5)), [["segment_started", 1]]);
    assert.equal(p.view(ORIGIN + 6.5).remaining, 4);
    assert.equal(p.view(ORIGIN + 6.5).rep, 1);
  });

  it("back early in a segment goes to the previous one", () => {
    const p = playedTo(4);
    assert.deepEqual(kinds(p.back(ORIGIN + 4)), [["segment_started", 0]]);
    assert.equal(p.view(ORIGIN + 4).remaining, 3);
    assert.deepEqual(kinds(p.advance(ORIGIN + 7)), [["segment_started", 1]]);
  });

  it("back in the first segment restarts it", () => {
    const p = playedTo(1);
    assert.deepEqual(kinds(p.back(ORIGIN + 1)), [["segment_started", 0]]);
    assert.equal(p.view(ORIGIN + 1).remaining, 3);
  });

  it("work done before going back counts, and so does the replay", () => {
    const p = playedTo(6.5);
    p.back(ORIGIN + 6.5);
    assert.equal(p.summary()[0].done_seconds, 3.5);
    assert.equal(p.summary()[0].completed, false);
    assert.deepEqual(kinds(p.advance(ORIGIN + 10.5)), [["segment_started", 2]]);
    assert.equal(p.summary()[0].done_seconds, 3.5 + 4);
    assert.equal(p.summary()[0].completed, true);
  });
});

describe("Player: quit", () => {
  it("quit stops where it is and freezes the position", () => {
    const p = playedTo(10);
    assert.deepEqual(kinds(p.quit(ORIGIN + 10)), [["quit", null]]);
    assert.equal(p.status, "quit");
    assert.equal(p.view(ORIGIN + 99).position, 10);
    assert.deepEqual(p.advance(ORIGIN + 99), []);
    assert.deepEqual(p.quit(ORIGIN + 99), []);
    assert.equal(p.summary()[1].seconds_left, 1);
  });
});

describe("what is saved and shown", () => {
  it("shareDone counts each step up to its plan only", () => {
    const steps = [{ step_index: 0, done_seconds: 40 }, { step_index: 1, done_seconds: 5 }];
    assert.equal(shareDone(steps, { steps: STEPS }), (4 + 5) / 14);
    assert.equal(shareDone([], { steps: [] }), 0);
  });

  it("formatClock rounds up, so the last second shows 1 and not 0", () => {
    assert.equal(formatClock(0.2), "1");
    assert.equal(formatClock(3), "3");
    assert.equal(formatClock(59.5), "1:00");
    assert.equal(formatClock(65), "1:05");
    assert.equal(formatClock(0), "0");
    assert.equal(formatClock(-1), "0");
  });

  it("formatDuration gives minutes and seconds", () => {
    assert.equal(formatDuration(0), "0:00");
    assert.equal(formatDuration(125.4), "2:05");
    assert.equal(formatDuration(600), "10:00");
  });

  it("describeNext names what comes next, with the side and length of work", () => {
    assert.equal(describeNext(null), "Next: finished, well done");
    assert.equal(describeNext(SEGMENTS[2]), "Next: exercise 1");
    assert.equal(describeNext({ ...SEGMENTS[3], title: "Hold" }), "Next: hold (left leg), 0:05");
    assert.equal(describeNext({ ...SEGMENTS[1], title: "Move" }), "Next: move, 0:04");
    assert.equal(describeNext({ ...SEGMENTS[4], title: "Switch sides" }), "Next: switch sides");
  });
});
