/* deskstretch player: plays the server's timeline in the browser.
 *
 * The Player class mirrors src/deskstretch/core/player.py line for line: one origin, positions
 * computed from it on every tick, so throttled timers in a background tab never add drift.
 * Plain JS, no framework, no inline script (the page's CSP forbids it).
 */
(function () {
  "use strict";

  var WORK = { contract: true, hold: true, reps: true };
  var EASE_IN_SECONDS = 2;

  // ----- the player (mirror of core/player.py) ---------------------------------------------------

  function Player(segments, steps, now, backRestartSeconds) {
    this.segments = segments;
    this.steps = steps;
    this.backRestart = backRestartSeconds;
    var last = segments[segments.length - 1];
    this.total = last ? last.start_seconds + last.duration_seconds : 0;
    this.status = segments.length ? "playing" : "finished";
    this.origin = now;
    this.pausedAt = null;
    this.idx = -1;
    this.entered = 0;
    this.done = {};
    this.completed = {};
    this.frozen = 0;
  }

  Player.prototype.index = function () {
    return Math.max(this.idx, 0);
  };

  Player.prototype.end = function (segment) {
    return segment.start_seconds + segment.duration_seconds;
  };

  Player.prototype.position = function (now) {
    if (this.status === "playing") return Math.max(0, now - this.origin);
    if (this.status === "paused" && this.pausedAt !== null) {
      return Math.max(0, this.pausedAt - this.origin);
    }
    return this.frozen;
  };

  Player.prototype.nextDeadline = function () {
    if (this.status !== "playing" || !this.segments.length) return null;
    if (this.idx < 0) return this.origin;
    return this.origin + this.end(this.segments[this.idx]);
  };

  Player.prototype.view = function (now) {
    var offset = Math.min(this.position(now), this.total);
    var segment = this.segments.length && this.status !== "finished"
      ? this.segments[this.index()] : null;
    if (!segment) {
      return { status: this.status, segment: null, elapsed: 0, remaining: 0, position: offset,
        total: this.total, rep: 0, next: null };
    }
    var elapsed = Math.min(Math.max(0, offset - segment.start_seconds), segment.duration_seconds);
    return {
      status: this.status,
      segment: segment,
      elapsed: elapsed,
      remaining: segment.duration_seconds - elapsed,
      position: offset,
      total: this.total,
      rep: repAt(segment, elapsed),
      next: this.segments[this.index() + 1] || null
    };
  };

  Player.prototype.advance = function (now) {
    if (this.status !== "playing") return [];
    var events = [];
    var segments = this.segments;
    var offset = now - this.origin;
    if (this.idx < 0) {
      this.enter(0, 0);
      events.push(this.started());
    }
    while (this.idx < segments.length && offset >= this.end(segments[this.idx])) {
      var current = segments[this.idx];
      this.leave(this.end(current), true);
      if (this.idx + 1 >= segments.length) {
        this.finish("finished", this.end(current));
        events.push({ kind: "finished" });
        return events;
      }
      this.enter(this.idx + 1, this.end(current));
      events.push(this.started());
    }
    return events;
  };

  Player.prototype.pause = function (now) {
    var events = this.advance(now);
    if (this.status !== "playing") return events;
    this.status = "paused";
    this.pausedAt = now;
    return events.concat([{ kind: "paused", segment: this.current() }]);
  };

  Player.prototype.resume = function (now) {
    if (this.status !== "paused" || this.pausedAt === null) return [];
    this.origin += now - this.pausedAt;
    this.pausedAt = null;
    this.status = "playing";
    return [{ kind: "resumed", segment: this.current() }];
  };

  Player.prototype.togglePause = function (now) {
    return this.status === "paused" ? this.resume(now) : this.pause(now);
  };

  Player.prototype.skip = function (now) {
    var events = this.advance(now);
    if (this.status !== "playing" && this.status !== "paused") return events;
    this.leave(this.position(now), false);
    if (this.index() + 1 >= this.segments.length) {
      this.finish("finished", this.total);
      return events.concat([{ kind: "finished" }]);
    }
    return events.concat([this.jump(this.index() + 1, now)]);
  };

  Player.prototype.back = function (now) {
    var events = this.advance(now);
    if (this.status !== "playing" && this.status !== "paused") return events;
    var offset = this.position(now);
    var current = this.segments[this.index()];
    this.leave(offset, false);
    var target = this.index();
    if (offset - current.start_seconds < this.backRestart && this.index() > 0) target -= 1;
    return events.concat([this.jump(target, now)]);
  };

  Player.prototype.quit = function (now) {
    var events = this.advance(now);
    if (this.status !== "playing" && this.status !== "paused") return events;
    var offset = this.position(now);
    this.leave(offset, false);
    this.finish("quit", offset);
    return events.concat([{ kind: "quit" }]);
  };

  /* Per step: work seconds done by side, completed, skipped (as PlayerSummary.steps). */
  Player.prototype.summary = function () {
    var self = this;
    return this.steps.map(function (step, stepIndex) {
      var sides = { left: 0, right: 0, both: 0 };
      var work = self.segments.filter(function (s) {
        return s.step_index === stepIndex && WORK[s.kind];
      });
      var allDone = work.length > 0;
      work.forEach(function (s) {
        sides[s.side] += self.done[s.index] || 0;
        if (!self.completed[s.index]) allDone = false;
      });
      var total = sides.left + sides.right + sides.both;
      return {
        step_index: stepIndex,
        done_seconds: round3(total),
        seconds_left: round3(sides.left),
        seconds_right: round3(sides.right),
        seconds_both: round3(sides.both),
        completed: allDone,
        skipped: total < 1
      };
    });
  };

  Player.prototype.current = function () {
    return this.segments.length ? this.segments[this.index()] : null;
  };

  Player.prototype.started = function () {
    return { kind: "segment_started", segment: this.current() };
  };

  Player.prototype.enter = function (index, offset) {
    this.idx = index;
    this.entered = offset;
  };

  Player.prototype.leave = function (offset, natural) {
    var segment = this.segments[this.index()];
    var end = Math.min(offset, this.end(segment));
    var spent = Math.max(0, end - Math.max(this.entered, segment.start_seconds));
    this.done[segment.index] = (this.done[segment.index] || 0) + spent;
    if (natural) this.completed[segment.index] = true;
  };

  Player.prototype.jump = function (index, now) {
    var target = this.segments[index];
    this.enter(index, target.start_seconds);
    if (this.status === "paused") this.pausedAt = now;
    this.origin = now - target.start_seconds;
    return { kind: "segment_started", segment: target };
  };

  Player.prototype.finish = function (status, offset) {
    this.frozen = offset;
    this.status = status;
    this.pausedAt = null;
  };

  function repAt(segment, elapsed) {
    if (segment.kind !== "reps" || segment.rep_seconds <= 0) return 0;
    return Math.min(segment.reps, Math.floor(elapsed / segment.rep_seconds) + 1);
  }

  function round3(x) {
    return Math.round(x * 1000) / 1000;
  }

  // ----- formatting (as cli/screen.py) -----------------------------------------------------------

  function formatClock(seconds) {
    var whole = Math.max(0, Math.ceil(seconds - 1e-9));
    return whole >= 60 ? Math.floor(whole / 60) + ":" + pad(whole % 60) : String(whole);
  }

  function formatDuration(seconds) {
    var whole = Math.round(seconds);
    return Math.floor(whole / 60) + ":" + pad(whole % 60);
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function describeNext(next) {
    if (!next) return "Next: finished, well done";
    if (next.kind === "transition") return "Next: " + next.exercise_name;
    if (WORK[next.kind]) {
      var where = next.side_label ? " (" + next.side_label + ")" : "";
      return "Next: " + next.title.toLowerCase() + where + ", " +
        formatDuration(next.duration_seconds);
    }
    return "Next: " + next.title.toLowerCase();
  }

  // ----- the animated figure ---------------------------------------------------------------------

  var NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
  var FIXED = /^(aria-|role$|class$|id$|width$|height$|focusable$)/;

  /* Keyframes of one exercise share their element structure (figures.py promises it), so
   * pairing elements by document order and numbers by position inside each attribute is enough
   * to tween between poses. Attributes whose shape differs are switched at the halfway point. */
  function Figure(svgTexts) {
    var parser = new DOMParser();
    var docs = svgTexts.map(function (text) {
      return parser.parseFromString(text, "image/svg+xml").documentElement;
    });
    this.count = docs.length;
    this.svg = document.importNode(docs[0], true);
    // The page labels the figure once; a stale per-keyframe title or label would mislead.
    ["aria-label", "role", "width", "height"].forEach(function (name) {
      this.svg.removeAttribute(name);
    }, this);
    Array.prototype.forEach.call(this.svg.querySelectorAll("title"), function (t) { t.remove(); });
    docs.forEach(function (doc) {
      Array.prototype.forEach.call(doc.querySelectorAll("title"), function (t) { t.remove(); });
    });
    this.svg.setAttribute("aria-hidden", "true");
    this.svg.setAttribute("focusable", "false");
    var live = [this.svg].concat(Array.prototype.slice.call(this.svg.querySelectorAll("*")));
    var frames = docs.map(function (doc) {
      return [doc].concat(Array.prototype.slice.call(doc.querySelectorAll("*")));
    });
    var tracks = [];
    live.forEach(function (el, i) {
      Array.prototype.forEach.call(el.attributes, function (attr) {
        if (FIXED.test(attr.name)) return;
        var values = frames.map(function (f) {
          return f[i] ? f[i].getAttribute(attr.name) : null;
        });
        if (values.every(function (v) { return v === values[0]; })) return;
        var nums = values.map(function (v) {
          return (v || "").match(NUMBER) || [];
        });
        var parts = (values[0] || "").split(NUMBER);
        var same = nums.every(function (n) { return n.length === nums[0].length; });
        tracks.push({
          el: el, name: attr.name, values: values, parts: parts,
          nums: same ? nums.map(function (n) { return n.map(Number); }) : null
        });
      });
    });
    this.tracks = tracks;
    this.shown = -1;
  }

  /* Show the pose at keyframe position ``t`` (0 .. count-1, fractions tween). */
  Figure.prototype.pose = function (t) {
    t = Math.max(0, Math.min(this.count - 1, t));
    if (Math.abs(t - this.shown) < 1e-4) return;
    this.shown = t;
    var k = Math.min(Math.floor(t), this.count - 2);
    var f = this.count > 1 ? t - k : 0;
    if (this.count === 1) k = 0;
    this.tracks.forEach(function (track) {
      var value;
      // Whole keyframes (and shapes that cannot tween) show the keyframe's own text exactly.
      if (!track.nums || f === 0 || f === 1 || this.count === 1) {
        value = track.values[f >= 0.5 ? k + 1 : k];
      } else {
        var a = track.nums[k];
        var b = track.nums[k + 1];
        var out = track.parts[0];
        for (var j = 0; j < a.length; j += 1) {
          out += trim(a[j] + (b[j] - a[j]) * f) + track.parts[j + 1];
        }
        value = out;
      }
      if (value !== null) track.el.setAttribute(track.name, value);
    }, this);
  };

  function trim(x) {
    return String(Math.round(x * 100) / 100);
  }

  function smooth(x) {
    x = Math.max(0, Math.min(1, x));
    return (1 - Math.cos(Math.PI * x)) / 2;
  }

  /* Where in the keyframes the figure is, ``elapsed`` seconds into ``segment``. */
  function poseAt(segment, previous, step, elapsed, still) {
    var last = step.keyframes - 1;
    var holdOn = Math.min(step.hold_on, last);
    var ease = Math.min(EASE_IN_SECONDS, segment.duration_seconds / 2);
    var kind = segment.kind;
    if (kind === "reps") {
      var rep = segment.rep_seconds > 0 ? segment.rep_seconds : 1;
      var phase = (elapsed % rep) / rep;
      // One rep: start pose -> end pose -> start pose.
      if (still) return phase < 0.5 ? 0 : last;
      return last * (1 - Math.cos(2 * Math.PI * phase)) / 2;
    }
    if (kind === "hold" || kind === "contract") {
      var already = previous && previous.step_index === segment.step_index &&
        previous.kind === "contract" && previous.side === segment.side;
      if (still || already) return holdOn;
      return holdOn * smooth(elapsed / ease);
    }
    if (kind === "rest" && previous && WORK[previous.kind] && !still) {
      return holdOn * (1 - smooth(elapsed / Math.min(1.5, segment.duration_seconds)));
    }
    return 0;
  }

  // For the browser tests, which play scripted commands through it and compare with Python's.
  window.deskstretchPlayer = Player;

  // ----- page plumbing ---------------------------------------------------------------------------

  var root = document.getElementById("player");
  if (!root) return;

  function $(id) {
    return document.getElementById(id);
  }

  function show(stage) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-stage]"), function (el) {
      el.hidden = el.getAttribute("data-stage") !== stage;
    });
    var heading = root.querySelector('[data-stage="' + stage + '"] [data-focus]');
    if (heading) heading.focus();
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = typeof data.detail === "string" ? data.detail : "";
          throw new Error(message || "the server answered " + response.status);
        }
        return data;
      });
    });
  }

  function announce(text) {
    $("player-status").textContent = text;
  }

  function setText(id, text) {
    var el = $(id);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function showError(id, text) {
    var el = $(id);
    el.textContent = text;
    el.hidden = !text;
  }

  var state = {
    plan: null,
    sessionId: null,
    player: null,
    timer: 0,
    frame: 0,
    figures: {},
    figure: null,
    segmentShown: -1,
    voice: root.getAttribute("data-voice") === "true",
    bell: root.getAttribute("data-bell") === "true",
    speech: root.getAttribute("data-speech") === "true",
    audio: null,
    audioUrl: null,
    spoken: 0,
    audioContext: null,
    wakeLock: null,
    wantWake: false,
    ended: false,
    wasPlaying: false,
    messages: []
  };
  var stillQuery = window.matchMedia("(prefers-reduced-motion: reduce)");

  function clock() {
    return performance.now() / 1000;
  }

  // ----- check-ins -------------------------------------------------------------------------------

  function readScores(form) {
    function value(name) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      return checked ? Number(checked.value) : null;
    }
    return { back_pain: value("back_pain"), leg_pain: value("leg_pain") };
  }

  /* Post a check-in; resolves true when the person may carry on, false when a safety stop. */
  function sendCheckin(context, scores) {
    if (scores.back_pain === null && scores.leg_pain === null) return Promise.resolve(true);
    var body = { context: context, back_pain: scores.back_pain, leg_pain: scores.leg_pain };
    return post("/api/sessions/" + state.sessionId + "/checkin", body).then(function (result) {
      state.messages = state.messages.concat(result.messages || []);
      if (result.reask_cauda_equina) return askCaudaEquina();
      return true;
    });
  }

  function askCaudaEquina() {
    show("cauda");
    var form = $("cauda-form");
    return new Promise(function (resolve, reject) {
      function submit(event) {
        event.preventDefault();
        var answers = {};
        var missing = [];
        Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-question]"), function (f) {
          var id = f.getAttribute("data-question");
          var checked = f.querySelector("input:checked");
          if (checked) answers[id] = checked.value === "yes";
          else missing.push(f.querySelector("legend").textContent);
        });
        var anyYes = Object.keys(answers).some(function (id) { return answers[id]; });
        if (missing.length && !anyYes) {
          showError("cauda-error", "Please answer every question (yes or no).");
          return;
        }
        showError("cauda-error", "");
        form.removeEventListener("submit", submit);
        post("/api/safety/cauda-equina", { answers: answers }).then(function (verdict) {
          if (verdict.routines_allowed) {
            state.messages.push("Thank you. Nothing there needs urgent attention.");
            resolve(true);
          } else {
            stopForSafety(verdict.advice);
            resolve(false);
          }
        }, reject);
      }
      form.addEventListener("submit", submit);
    });
  }

  function stopForSafety(advice) {
    finishTimers();
    setText("safety-advice", advice);
    show("stopped");
  }

  function beginRoutine(event) {
    event.preventDefault();
    var skip = event.submitter && event.submitter.value === "skip";
    var form = $("before-form");
    var scores = skip ? { back_pain: null, leg_pain: null } : readScores(form);
    setBusy(form, true);
    showError("before-error", "");
    unlockAudio();
    post("/api/sessions", { routine_id: root.getAttribute("data-routine-id") })
      .then(function (started) {
        state.sessionId = started.session_id;
        state.plan = started.plan;
        return sendCheckin("before", scores);
      })
      .then(function (carryOn) {
        if (carryOn) startPlaying();
      })
      .catch(function (error) {
        show("before");
        showError("before-error", "Could not start: " + error.message);
      })
      .then(function () { setBusy(form, false); });
  }

  function setBusy(form, busy) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
      b.disabled = busy;
    });
  }

  function afterCheckin(event) {
    event.preventDefault();
    var skip = event.submitter && event.submitter.value === "skip";
    var form = $("after-form");
    var scores = skip ? { back_pain: null, leg_pain: null } : readScores(form);
    setBusy(form, true);
    sendCheckin("after", scores).then(function (carryOn) {
      if (carryOn) showSummary();
    }, function (error) {
      showError("after-error", "Could not save the check-in: " + error.message);
      setBusy(form, false);
    });
  }

  // ----- playing ---------------------------------------------------------------------------------

  function startPlaying() {
    var plan = state.plan;
    preloadFigures(plan.steps);
    state.player = new Player(plan.segments, plan.steps, clock(), plan.back_restart_seconds);
    show("play");
    state.wantWake = true;
    holdWakeLock();
    tick();
  }

  function tick() {
    var player = state.player;
    if (!player || state.ended) return;
    var now = clock();
    var events = player.advance(now);
    handle(events);
    if (state.ended) return;
    if (events.length) record();
    draw(now);
    schedule(now);
  }

  /* Wake at the next segment boundary or when the shown second changes (as next_wake in
   * cli/playback.py); animation frames add smooth drawing while the tab is visible. */
  function schedule(now) {
    clearTimeout(state.timer);
    cancelAnimationFrame(state.frame);
    var player = state.player;
    var deadline = player.nextDeadline();
    if (deadline === null || state.ended) return;
    var remaining = player.view(now).remaining;
    var step = remaining > 0 ? remaining - Math.floor(remaining) : 0;
    if (step <= 1e-6) step = 1;
    var wake = Math.min(deadline, now + step);
    state.timer = setTimeout(tick, Math.max(0, (wake - now) * 1000) + 1);
    if (document.visibilityState === "visible") {
      state.frame = requestAnimationFrame(frame);
    }
  }

  function frame() {
    var player = state.player;
    if (!player || state.ended || player.status !== "playing") return;
    var now = clock();
    var events = player.advance(now);
    if (events.length) {
      handle(events);
      if (state.ended) return;
      record();
    }
    draw(now);
    state.frame = requestAnimationFrame(frame);
  }

  function command(name) {
    var player = state.player;
    if (!player || state.ended) return;
    var now = clock();
    var before = player.status;
    var events = player[name](now);
    handle(events);
    if (!state.ended && events.length) record();
    if (name === "togglePause" && before !== player.status) {
      announce(player.status === "paused" ? "Paused" : "Playing");
    }
    draw(now);
    schedule(now);
  }

  function handle(events) {
    events.forEach(function (event) {
      if (event.kind === "segment_started") {
        enterSegment(event.segment);
      } else if (event.kind === "paused") {
        state.wantWake = false;
        releaseWakeLock();
        pauseButton(true);
      } else if (event.kind === "resumed") {
        state.wantWake = true;
        holdWakeLock();
        pauseButton(false);
      } else if (event.kind === "finished" || event.kind === "quit") {
        end();
      }
    });
  }

  function enterSegment(segment) {
    var plan = state.plan;
    var step = plan.steps[segment.step_index];
    var next = plan.segments[segment.index + 1] || null;
    setText("seg-kind", segment.title);
    setText("seg-exercise", segment.exercise_name);
    var side = $("seg-side");
    side.textContent = segment.side_label;
    side.hidden = !segment.side_label;
    var set = segment.sets_total > 1 && WORK[segment.kind]
      ? "Set " + segment.set_number + " of " + segment.sets_total : "";
    setText("seg-set", set);
    setText("caption", segment.cue);
    setText("next-line", describeNext(next));
    setText("step-count", "Exercise " + (segment.step_index + 1) + " of " + plan.steps.length);
    root.setAttribute("data-kind", segment.kind);
    var holder = $("figure");
    holder.setAttribute("aria-label", "Illustration: " + step.name +
      (segment.side_label ? ", " + segment.side_label : ""));
    // Figures face right and show the near (left) side working; the right side is its mirror.
    holder.classList.toggle("is-mirrored", segment.side === "right");
    useFigure(step.exercise_id);
    speak(segment.cue);
    ring();
    state.segmentShown = segment.index;
  }

  function draw(now) {
    var player = state.player;
    var view = player.view(now);
    var segment = view.segment;
    if (!segment) return;
    setText("countdown", formatClock(view.remaining));
    var ringEl = $("ring-progress");
    var fraction = segment.duration_seconds > 0 ? view.elapsed / segment.duration_seconds : 1;
    ringEl.setAttribute("stroke-dashoffset", (fraction * 100).toFixed(2));
    setText("seg-rep", view.rep ? "Rep " + view.rep + " of " + segment.reps : "");
    var percent = view.total > 0 ? Math.round((100 * view.position) / view.total) : 100;
    var bar = $("routine-progress");
    if (bar.getAttribute("aria-valuenow") !== String(percent)) {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext", formatDuration(view.position) + " of " +
        formatDuration(view.total));
      $("routine-progress-fill").style.width = percent + "%";
    }
    setText("time-left", formatDuration(view.total - view.position) + " left");
    if (state.figure) {
      var previous = state.plan.segments[segment.index - 1] || null;
      var step = state.plan.steps[segment.step_index];
      state.figure.pose(poseAt(segment, previous, step, view.elapsed, stillQuery.matches));
    }
  }

  function pauseButton(paused) {
    var button = $("btn-pause");
    button.setAttribute("aria-pressed", paused ? "true" : "false");
    setText("btn-pause-label", paused ? "Resume" : "Pause");
    root.classList.toggle("is-paused", paused);
  }

  function end() {
    if (state.ended) return;
    state.ended = true;
    finishTimers();
    var player = state.player;
    var steps = player.summary();
    var status = player.status === "finished" ? "completed" : "quit_early";
    var share = shareDone(steps, state.plan);
    var complete = share >= state.plan.complete_share;
    state.result = { steps: steps, status: status, share: share, complete: complete };
    announce(complete ? "Routine complete" : status === "completed" ? "Routine finished" : "Stopped");
    post("/api/sessions/" + state.sessionId + "/finish", { steps: steps, status: status }, true)
      .then(function () { state.saveProblem = ""; },
        function (error) { state.saveProblem = error.message; })
      .then(function () {
        var worked = steps.some(function (s) { return s.done_seconds > 0; });
        if (worked) show("after");
        else showSummary();
      });
  }

  function finishTimers() {
    clearTimeout(state.timer);
    cancelAnimationFrame(state.frame);
    state.wantWake = false;
    releaseWakeLock();
    if (state.audio) state.audio.pause();
  }

  /* Save progress at every segment start, fire and forget (keepalive survives a closing tab). */
  function record() {
    if (!state.sessionId || !state.player) return;
    post("/api/sessions/" + state.sessionId + "/progress", { steps: state.player.summary() }, true)
      .catch(function () { /* the finish call reports problems; playing never waits on this */ });
  }

  // ----- figures ---------------------------------------------------------------------------------

  function preloadFigures(steps) {
    steps.forEach(function (step) {
      if (state.figures[step.exercise_id]) return;
      var urls = [];
      for (var k = 0; k < step.keyframes; k += 1) {
        urls.push("/figures/" + encodeURIComponent(step.exercise_id) + "/" + k + ".svg");
      }
      state.figures[step.exercise_id] = Promise.all(urls.map(function (url) {
        return fetch(url).then(function (r) {
          if (!r.ok) throw new Error(url + ": " + r.status);
          return r.text();
        });
      })).then(function (texts) { return new Figure(texts); }, function () { return null; });
    });
  }

  function useFigure(exerciseId) {
    var pending = state.figures[exerciseId];
    if (!pending) return;
    pending.then(function (figure) {
      var current = state.player && state.player.segments[state.player.index()];
      if (!figure || !current || current.exercise_id !== exerciseId) return;
      if (state.figure !== figure) {
        var holder = $("figure");
        holder.replaceChildren(figure.svg);
        figure.shown = -1;
        state.figure = figure;
      }
      if (state.player) draw(clock());
    });
  }

  // ----- sound and screen ------------------------------------------------------------------------

  function unlockAudio() {
    // Created inside the click that starts the routine, so autoplay rules allow it later.
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !state.audioContext) {
      try { state.audioContext = new Context(); } catch (e) { state.audioContext = null; }
    }
  }

  function ring() {
    var ctx = state.audioContext;
    if (!state.bell || !ctx) return;
    try {
      if (ctx.state === "suspended") ctx.resume().catch(function () {});
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.32);
    } catch (e) { /* no audio output: the caption and countdown still show the change */ }
  }

  function speak(text) {
    state.spoken += 1;
    var mine = state.spoken;
    if (state.audio) {
      state.audio.pause();
      state.audio.removeAttribute("src");
      state.audio = null;
    }
    if (state.audioUrl) {
      URL.revokeObjectURL(state.audioUrl);
      state.audioUrl = null;
    }
    if (!state.voice || !state.speech || !text) return;
    // A POST with the CSRF token: rendering speech is real work, so no other page may start it.
    fetch("/api/speech", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ text: text })
    }).then(function (response) {
      if (!response.ok) throw new Error("speech: " + response.status);
      return response.blob();
    }).then(function (wav) {
      if (mine !== state.spoken || !state.voice) return;  // a newer cue (or silence) came first
      state.audioUrl = URL.createObjectURL(wav);
      var audio = new Audio(state.audioUrl);
      state.audio = audio;
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () { /* captions carry the cue */ });
    }).catch(function () { /* no speech: the captions carry the cue */ });
  }

  function holdWakeLock() {
    if (!("wakeLock" in navigator) || state.wakeLock || document.visibilityState !== "visible") {
      return;
    }
    state.wakeLock = "pending";
    navigator.wakeLock.request("screen").then(function (lock) {
      state.wakeLock = lock;
      lock.addEventListener("release", function () {
        if (state.wakeLock === lock) state.wakeLock = null;
      });
      if (!state.wantWake) releaseWakeLock();
    }, function () { state.wakeLock = null; });
  }

  function releaseWakeLock() {
    var lock = state.wakeLock;
    if (lock && lock !== "pending") {
      state.wakeLock = null;
      lock.release().catch(function () {});
    }
  }

  function toggle(button, key) {
    state[key] = !state[key];
    button.setAttribute("aria-pressed", state[key] ? "true" : "false");
    if (key === "voice" && !state.voice && state.audio) state.audio.pause();
  }

  // ----- summary ---------------------------------------------------------------------------------

  /* The share of the planned work done, each step counted up to its plan: the server's rule
     (core.records.ended_status), so the summary says what is saved. */
  function shareDone(steps, plan) {
    var done = 0;
    var planned = 0;
    steps.forEach(function (s) {
      var stepPlanned = plan.steps[s.step_index].planned_seconds;
      planned += stepPlanned;
      done += Math.min(s.done_seconds, stepPlanned);
    });
    return planned > 0 ? done / planned : 0;
  }

  function showSummary() {
    var result = state.result;
    var plan = state.plan;
    setText("summary-title", result.complete ? "Routine complete. Well done." :
      result.status === "completed" ? "Routine finished, partly done." :
      "Stopped early. That still counts.");
    var body = $("summary-rows");
    body.replaceChildren();
    var doneSeconds = 0;
    var doneSteps = 0;
    result.steps.forEach(function (s) {
      var step = plan.steps[s.step_index];
      doneSeconds += s.done_seconds;
      if (!s.skipped) doneSteps += 1;
      var row = document.createElement("tr");
      var name = document.createElement("th");
      name.scope = "row";
      name.textContent = step.name;
      var done = document.createElement("td");
      done.textContent = s.skipped ? "skipped" :
        formatDuration(s.done_seconds) + (s.completed ? "" : " (part)");
      var sides = document.createElement("td");
      var parts = [];
      if (s.seconds_left >= 1) parts.push("left " + formatDuration(s.seconds_left));
      if (s.seconds_right >= 1) parts.push("right " + formatDuration(s.seconds_right));
      sides.textContent = parts.join(", ");
      row.append(name, done, sides);
      body.append(row);
    });
    var percent = Math.floor(result.share * 100);
    setText("summary-totals", doneSteps + " of " + result.steps.length + " exercises, " +
      formatDuration(doneSeconds) + " of movement (planned " +
      formatDuration(plan.work_seconds) + "). " +
      (result.complete ? "Saved as complete: " : "Saved as partial: ") + percent +
      "% of the planned holds and moves done; complete needs " +
      Math.round(plan.complete_share * 100) + "%.");
    var list = $("summary-messages");
    list.replaceChildren();
    state.messages.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      list.append(item);
    });
    list.hidden = !state.messages.length;
    showError("summary-problem", state.saveProblem ?
      "This session could not be saved: " + state.saveProblem : "");
    show("summary");
  }

  // ----- wiring ----------------------------------------------------------------------------------

  function isPlaying() {
    return !$("stage-play").hidden && state.player && !state.ended;
  }

  function askStop() {
    var player = state.player;
    var dialog = $("stop-dialog");
    if (!player || state.ended || dialog.open) return;
    state.wasPlaying = player.status === "playing";
    if (state.wasPlaying) command("togglePause");
    dialog.showModal();
  }

  function bind() {
    $("before-form").addEventListener("submit", beginRoutine);
    $("after-form").addEventListener("submit", afterCheckin);
    $("btn-pause").addEventListener("click", function () { command("togglePause"); });
    $("btn-skip").addEventListener("click", function () { command("skip"); });
    $("btn-back").addEventListener("click", function () { command("back"); });
    $("btn-stop").addEventListener("click", askStop);
    $("btn-voice").addEventListener("click", function (e) { toggle(e.currentTarget, "voice"); });
    $("btn-bell").addEventListener("click", function (e) { toggle(e.currentTarget, "bell"); });
    var dialog = $("stop-dialog");
    dialog.addEventListener("close", function () {
      if (dialog.returnValue === "stop") {
        command("quit");
      } else if (state.wasPlaying && state.player && state.player.status === "paused") {
        command("togglePause");
      }
      dialog.returnValue = "";
    });
    document.addEventListener("keydown", function (event) {
      if (!isPlaying() || dialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
      var key = event.key;
      if (key === " " || key === "Spacebar") {
        event.preventDefault();
        if (!event.repeat) command("togglePause");
      } else if (key === "ArrowRight") {
        event.preventDefault();
        command("skip");
      } else if (key === "ArrowLeft") {
        event.preventDefault();
        command("back");
      } else if (key === "Escape") {
        event.preventDefault();
        askStop();
      }
    });
    // Space on a focused button would also "click" it on keyup: the keydown already acted.
    document.addEventListener("keyup", function (event) {
      if (isPlaying() && (event.key === " " || event.key === "Spacebar")) event.preventDefault();
    });
    document.addEventListener("visibilitychange", function () {
      if (!state.player || state.ended) return;
      // Catch up at once: timers were throttled while hidden, the origin kept true time.
      tick();
      if (document.visibilityState === "visible" && state.wantWake) holdWakeLock();
    });
    window.addEventListener("pagehide", function () {
      if (state.player && !state.ended) record();
    });
    [$("btn-voice"), $("btn-bell")].forEach(function (button) {
      var key = button.id === "btn-voice" ? "voice" : "bell";
      button.setAttribute("aria-pressed", state[key] ? "true" : "false");
    });
  }

  bind();
})();
