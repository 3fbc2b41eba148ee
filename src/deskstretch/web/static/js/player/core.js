/* The player's state machine and what it says: plays the server's timeline when advanced with
 * ``now`` (seconds). Mirrors src/deskstretch/core/player.py line for line: one origin, positions
 * computed from it on every call, so throttled timers in a background tab never add drift.
 * No DOM, no clock, no timers: page.js owns the loop, and node's tests import this file as it is.
 * One addition has no Python twin: hold(now) / release(now), the camera's position gate (only the
 * browser has a camera). While held, a hold segment's clock stands still, as when paused, so the
 * seconds recorded are seconds in position.
 */

/** Segment kinds that are exercise work (the rest are get ready, switch sides, rest, transition). */
export const WORK = Object.freeze({ contract: true, hold: true, reps: true });

/** A timeline being played: advance(now) / pause / resume / skip / back / quit -> events. */
export class Player {
  #done = {};
  #completed = {};
  #idx = -1;
  #entered = 0;
  #pausedAt = null;
  #heldAt = null; // when the camera's gate closed (null: counting)
  #frozen = 0;

  constructor(segments, steps, now, backRestartSeconds) {
    this.segments = segments;
    this.steps = steps;
    this.backRestart = backRestartSeconds;
    const last = segments[segments.length - 1];
    this.total = last ? segmentEnd(last) : 0;
    this.status = segments.length ? "playing" : "finished";
    this.origin = now;
  }

  /** The index of the segment playing (0 before the first advance). */
  index() {
    return Math.max(this.#idx, 0);
  }

  position(now) {
    if (this.status === "playing" && this.#heldAt !== null) {
      return Math.max(0, this.#heldAt - this.origin);
    }
    if (this.status === "playing") return Math.max(0, now - this.origin);
    if (this.status === "paused" && this.#pausedAt !== null) {
      return Math.max(0, this.#pausedAt - this.origin);
    }
    return this.#frozen;
  }

  /** When the next segment is due (null while paused or done). */
  nextDeadline() {
    if (this.status !== "playing" || !this.segments.length || this.#heldAt !== null) return null;
    if (this.#idx < 0) return this.origin;
    return this.origin + segmentEnd(this.segments[this.#idx]);
  }

  /** What a front end draws at ``now`` (as PlayerView). */
  view(now) {
    const offset = Math.min(this.position(now), this.total);
    const segment = this.segments.length && this.status !== "finished"
      ? this.segments[this.index()] : null;
    if (!segment) {
      return { status: this.status, segment: null, elapsed: 0, remaining: 0, position: offset,
        total: this.total, rep: 0, next: null };
    }
    const elapsed = Math.min(Math.max(0, offset - segment.start_seconds), segment.duration_seconds);
    return {
      status: this.status,
      segment,
      elapsed,
      remaining: segment.duration_seconds - elapsed,
      position: offset,
      total: this.total,
      rep: repAt(segment, elapsed),
      next: this.segments[this.index() + 1] || null,
    };
  }

  /** Whether the camera's gate holds the clock now. */
  get held() {
    return this.#heldAt !== null;
  }

  /** The camera sees the position is not right: a hold segment's clock stops until release.
   * Only a hold segment that is playing can be held; anything else returns no events. */
  hold(now) {
    const events = this.advance(now);
    const segment = this.#current();
    if (this.status !== "playing" || this.#heldAt !== null || !segment || segment.kind !== "hold") {
      return events;
    }
    this.#heldAt = now;
    return [...events, { kind: "held", segment }];
  }

  /** The position is right again (or the camera is off): the clock carries on from where it was. */
  release(now) {
    if (this.#heldAt === null) return [];
    this.origin += now - this.#heldAt;
    this.#heldAt = null;
    return [{ kind: "released", segment: this.#current() }];
  }

  advance(now) {
    if (this.status !== "playing") return [];
    if (this.#heldAt !== null) return [];
    const events = [];
    const segments = this.segments;
    const offset = now - this.origin;
    if (this.#idx < 0) {
      this.#enter(0, 0);
      events.push(this.#started());
    }
    while (this.#idx < segments.length && offset >= segmentEnd(segments[this.#idx])) {
      const end = segmentEnd(segments[this.#idx]);
      this.#leave(end, true);
      if (this.#idx + 1 >= segments.length) {
        this.#finish("finished", end);
        events.push({ kind: "finished" });
        return events;
      }
      this.#enter(this.#idx + 1, end);
      events.push(this.#started());
    }
    return events;
  }

  pause(now) {
    const events = [...this.release(now), ...this.advance(now)];
    if (this.status !== "playing") return events;
    this.status = "paused";
    this.#pausedAt = now;
    return [...events, { kind: "paused", segment: this.#current() }];
  }

  resume(now) {
    if (this.status !== "paused" || this.#pausedAt === null) return [];
    this.origin += now - this.#pausedAt;
    this.#pausedAt = null;
    this.status = "playing";
    return [{ kind: "resumed", segment: this.#current() }];
  }

  togglePause(now) {
    return this.status === "paused" ? this.resume(now) : this.pause(now);
  }

  skip(now) {
    const events = [...this.release(now), ...this.advance(now)];
    if (!this.#isOn()) return events;
    this.#leave(this.position(now), false);
    if (this.index() + 1 >= this.segments.length) {
      this.#finish("finished", this.total);
      return [...events, { kind: "finished" }];
    }
    return [...events, this.#jump(this.index() + 1, now)];
  }

  /** Restart the segment, or go to the previous one when it only just began. */
  back(now) {
    const events = [...this.release(now), ...this.advance(now)];
    if (!this.#isOn()) return events;
    const offset = this.position(now);
    const current = this.segments[this.index()];
    this.#leave(offset, false);
    let target = this.index();
    if (offset - current.start_seconds < this.backRestart && this.index() > 0) target -= 1;
    return [...events, this.#jump(target, now)];
  }

  quit(now) {
    const events = [...this.release(now), ...this.advance(now)];
    if (!this.#isOn()) return events;
    const offset = this.position(now);
    this.#leave(offset, false);
    this.#finish("quit", offset);
    return [...events, { kind: "quit" }];
  }

  /** Per step: work seconds done by side, completed, skipped (as PlayerSummary.steps). */
  summary() {
    return this.steps.map((step, stepIndex) => {
      const sides = { left: 0, right: 0, both: 0 };
      const work = this.segments.filter((s) => s.step_index === stepIndex && WORK[s.kind]);
      let allDone = work.length > 0;
      for (const s of work) {
        sides[s.side] += this.#done[s.index] || 0;
        if (!this.#completed[s.index]) allDone = false;
      }
      const total = sides.left + sides.right + sides.both;
      return {
        step_index: stepIndex,
        done_seconds: round3(total),
        seconds_left: round3(sides.left),
        seconds_right: round3(sides.right),
        seconds_both: round3(sides.both),
        completed: allDone,
        skipped: total < 1,
      };
    });
  }

  #isOn() {
    return this.status === "playing" || this.status === "paused";
  }

  #current() {
    return this.segments.length ? this.segments[this.index()] : null;
  }

  #started() {
    return { kind: "segment_started", segment: this.#current() };
  }

  #enter(index, offset) {
    this.#idx = index;
    this.#entered = offset;
  }

  #leave(offset, natural) {
    const segment = this.segments[this.index()];
    const end = Math.min(offset, segmentEnd(segment));
    const spent = Math.max(0, end - Math.max(this.#entered, segment.start_seconds));
    this.#done[segment.index] = (this.#done[segment.index] || 0) + spent;
    if (natural) this.#completed[segment.index] = true;
  }

  #jump(index, now) {
    const target = this.segments[index];
    this.#enter(index, target.start_seconds);
    if (this.status === "paused") this.#pausedAt = now;
    this.origin = now - target.start_seconds;
    return { kind: "segment_started", segment: target };
  }

  #finish(status, offset) {
    this.#frozen = offset;
    this.status = status;
    this.#pausedAt = null;
  }
}

function segmentEnd(segment) {
  return segment.start_seconds + segment.duration_seconds;
}

function repAt(segment, elapsed) {
  if (segment.kind !== "reps" || segment.rep_seconds <= 0) return 0;
  return Math.min(segment.reps, Math.floor(elapsed / segment.rep_seconds) + 1);
}

function round3(x) {
  return Math.round(x * 1000) / 1000;
}

/** The share of the planned work done, each step counted up to its plan: the server's rule
 * (core.records.ended_status), so the summary says what is saved. */
export function shareDone(steps, plan) {
  let done = 0;
  let planned = 0;
  for (const s of steps) {
    const stepPlanned = plan.steps[s.step_index].planned_seconds;
    planned += stepPlanned;
    done += Math.min(s.done_seconds, stepPlanned);
  }
  return planned > 0 ? done / planned : 0;
}

// ----- what the countdown and the next line say (as cli/screen.py) -------------------------------

/** Whole seconds left, rounded up ("45", "1:05"): the countdown never shows 0 while time is left. */
export function formatClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  return whole >= 60 ? `${Math.floor(whole / 60)}:${pad(whole % 60)}` : String(whole);
}

/** Minutes and seconds ("2:30"). */
export function formatDuration(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${pad(whole % 60)}`;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** The line under the countdown saying what comes next. */
export function describeNext(next) {
  if (!next) return "Next: finished, well done";
  if (next.kind === "transition") return `Next: ${next.exercise_name}`;
  if (WORK[next.kind]) {
    const where = next.side_label ? ` (${next.side_label})` : "";
    return `Next: ${next.title.toLowerCase()}${where}, ${formatDuration(next.duration_seconds)}`;
  }
  return `Next: ${next.title.toLowerCase()}`;
}

// ----- camera coaching (camera.js draws and sends; these decide) -------------------------------

/** How long the camera must see the position right before the hold clock counts again, and wrong
 * before it stops: one stray frame (model jitter, a hand passing) never moves the clock. */
export const GATE_IN_SECONDS = 0.3;
export const GATE_OUT_SECONDS = 0.7;

/** A steady in-position signal from frame-by-frame verdicts. It starts out of position: the hold
 * counts only once the camera has seen the position. */
export class PositionGate {
  #since = null; // when the verdicts started to disagree with ``inPosition``
  inPosition = false;

  /** One frame's verdict at ``now``; returns whether the position is (steadily) right. */
  update(inPosition, now) {
    if (inPosition === this.inPosition) {
      this.#since = null;
      return this.inPosition;
    }
    if (this.#since === null) this.#since = now;
    const wait = inPosition ? GATE_IN_SECONDS : GATE_OUT_SECONDS;
    if (now - this.#since >= wait) {
      this.inPosition = inPosition;
      this.#since = null;
    }
    return this.inPosition;
  }

  reset() {
    this.inPosition = false;
    this.#since = null;
  }
}

/** Spoken cues: a cue is said once it has been shown for ``steady`` seconds, no sooner than
 * ``gap`` seconds after the last thing said, and the same cue again only after ``repeat``. */
export class CueThrottle {
  #shown = null;
  #shownSince = 0;
  #said = null;
  #saidAt = -Infinity;

  constructor({ steady = 1, gap = 4, repeat = 10 } = {}) {
    this.steady = steady;
    this.gap = gap;
    this.repeat = repeat;
  }

  /** Something else was just said (a segment's cue): wait ``gap`` before speaking over it. */
  quiet(now) {
    this.#saidAt = now;
    this.#said = null;
  }

  /** The cue on screen at ``now`` (null: none); returns the cue to say now, or null. */
  next(cue, now) {
    if (cue !== this.#shown) {
      this.#shown = cue;
      this.#shownSince = now;
    }
    if (!cue || now - this.#shownSince < this.steady || now - this.#saidAt < this.gap) return null;
    if (cue === this.#said && now - this.#saidAt < this.repeat) return null;
    this.#said = cue;
    this.#saidAt = now;
    return cue;
  }
}
