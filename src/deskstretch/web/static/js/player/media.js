/* What the player does beyond the page: the bell at each change, the spoken cue (the server's
 * espeak-ng through /api/speech, else an offline voice of the browser's Web Speech API) and the
 * screen wake lock while a routine plays. Each one fails quietly: the captions and the countdown
 * always carry the change.
 */

import { post } from "../lib/http.js";

/**
 * The browser voice to speak English cues with: a local one only (``localService``: a network
 * voice would send every cue to a speech service), in the page's language first, then any
 * English one, then any local voice; a default voice wins a tie. Null when there is none.
 */
export function chooseVoice(voices, lang) {
  const page = String(lang || "en").toLowerCase();
  let best = null;
  let bestRank = 0;
  for (const voice of voices || []) {
    if (!voice || voice.localService !== true) continue;
    const tag = String(voice.lang || "").toLowerCase().replace(/_/g, "-");
    const english = tag === "en" || tag.startsWith("en-");
    let rank = english ? (tag === page || tag.split("-")[0] === page ? 6 : 4) : 2;
    if (voice.default) rank += 1;
    if (rank > bestRank) {
      best = voice;
      bestRank = rank;
    }
  }
  return best;
}

/** The bell and the spoken cues; ``voice`` and ``bell`` follow the page's toggle buttons. */
export class Sound {
  #context = null;
  #audio = null;
  #audioUrl = null;
  #spoken = 0;
  #synth = null; // window.speechSynthesis, used only when the server cannot speak

  constructor({ voice, bell, speech }) {
    this.voice = voice;
    this.bell = bell;
    this.speech = speech; // whether the server can speak at all
    this.browserVoice = null; // the local SpeechSynthesisVoice, when the browser speaks
  }

  /**
   * Without espeak-ng on the server, look for an offline browser voice, now and whenever the
   * browser's list changes (voices often load after the page); ``changed()`` follows each look.
   */
  findVoice(changed) {
    const synth = window.speechSynthesis;
    if (this.speech || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    this.#synth = synth;
    const look = () => {
      try {
        this.browserVoice = chooseVoice(synth.getVoices(), document.documentElement.lang);
      } catch {
        this.browserVoice = null;
      }
      changed();
    };
    if (synth.addEventListener) synth.addEventListener("voiceschanged", look);
    look();
  }

  /** Whether cues can be spoken at all (espeak-ng on the server, or a local browser voice). */
  get canSpeak() {
    return this.speech || this.browserVoice !== null;
  }

  /** Call inside the click that starts the routine, so autoplay rules allow the bell later. */
  unlock() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !this.#context) {
      try {
        this.#context = new Context();
      } catch {
        this.#context = null;
      }
    }
  }

  ring() {
    const ctx = this.#context;
    if (!this.bell || !ctx) return;
    try {
      if (ctx.state === "suspended") ctx.resume().catch(() => {});
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.32);
    } catch { /* no audio output: the caption and countdown still show the change */ }
  }

  /** Say ``text`` (stopping the cue before it), when the voice is on and the server can speak. */
  speak(text) {
    this.#spoken += 1;
    const mine = this.#spoken;
    if (this.#audio) {
      this.#audio.pause();
      this.#audio.removeAttribute("src");
      this.#audio = null;
    }
    if (this.#audioUrl) {
      URL.revokeObjectURL(this.#audioUrl);
      this.#audioUrl = null;
    }
    this.#cancelBrowser();
    if (!this.voice || !text) return;
    if (!this.speech) {
      this.#speakInBrowser(text);
      return;
    }
    // A POST with the CSRF token: rendering speech is real work, so no other page may start it.
    post("/api/speech", { text }).then((response) => {
      if (!response.ok) throw new Error(`speech: ${response.status}`);
      return response.blob();
    }).then((wav) => {
      if (mine !== this.#spoken || !this.voice) return; // a newer cue (or silence) came first
      this.#audioUrl = URL.createObjectURL(wav);
      const audio = new Audio(this.#audioUrl);
      this.#audio = audio;
      const playing = audio.play();
      if (playing && playing.catch) playing.catch(() => { /* captions carry the cue */ });
    }).catch(() => { /* no speech: the captions carry the cue */ });
  }

  /** Stop the cue being spoken. */
  hush() {
    if (this.#audio) this.#audio.pause();
    this.#cancelBrowser();
  }

  #speakInBrowser(text) {
    const voice = this.browserVoice;
    if (!this.#synth || !voice) return;
    try {
      const utterance = new window.SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      this.#synth.speak(utterance);
    } catch { /* no speech: the captions carry the cue */ }
  }

  #cancelBrowser() {
    try {
      if (this.#synth) this.#synth.cancel();
    } catch { /* nothing was being said */ }
  }
}

/** The screen wake lock, held while wanted and the tab is visible (browsers drop it when hidden). */
export class ScreenWake {
  #lock = null; // null, "pending" or the WakeLockSentinel
  #wanted = false;

  want(on) {
    this.#wanted = on;
    if (on) this.#hold();
    else this.#release();
  }

  /** Take the lock again when the tab comes back into view. */
  onVisible() {
    if (document.visibilityState === "visible" && this.#wanted) this.#hold();
  }

  #hold() {
    if (!("wakeLock" in navigator) || this.#lock || document.visibilityState !== "visible") {
      return;
    }
    this.#lock = "pending";
    navigator.wakeLock.request("screen").then((lock) => {
      this.#lock = lock;
      lock.addEventListener("release", () => {
        if (this.#lock === lock) this.#lock = null;
      });
      if (!this.#wanted) this.#release();
    }, () => { this.#lock = null; });
  }

  #release() {
    const lock = this.#lock;
    if (lock && lock !== "pending") {
      this.#lock = null;
      lock.release().catch(() => {});
    }
  }
}
