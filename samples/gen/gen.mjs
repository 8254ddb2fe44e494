#!/usr/bin/env node
// Sample run history of one ultrarunner, written the way real devices and
// services write it.
//
//   node gen.mjs OUTDIR [--athlete NAME] [--quiet]
//   node gen.mjs --list            (profile names)
//
// Writes OUTDIR/<athlete>/ (see README.md): Garmin FIT files made with Garmin's
// own @garmin/fitsdk Encoder, a few TCX/GPX files in Garmin Connect's layout,
// one Strava bulk-export zip, and truth.json with the intended season.
//
// Deterministic: every random draw comes from a seeded generator (one per
// activity), no clock is read, and zip/gzip timestamps are the activities'
// own start times, so two runs give byte-identical files on any machine.

// Zip entry times are written from local calendar fields (fflate uses
// Date#getHours); pin the zone so the bytes do not depend on the machine.
process.env.TZ = "UTC";

import { Encoder, Decoder, Stream, Profile } from "@garmin/fitsdk";
import { gzipSync, zipSync, strToU8 } from "fflate";
import fs from "node:fs";
import path from "node:path";

// ------------------------------------------------------------------ profiles
// One athlete = one profile. Physiology in bpm and m/s; dates are local dates.
const PROFILES = {
  athlete: {
    id: "athlete",
    name: "Mara Falkner",
    sex: "female",
    body_mass_kg: 58,
    seed: 20261122,
    last_sunday: "2026-11-22",   // end of the history (local date)
    weeks: 40,
    hr_max_bpm: 189,
    hr_rest_bpm: 46,
    lthr_bpm: 172,
    threshold_pace_s_per_km: 245, // ~1-h race pace, 4:05/km
    peak_week_km: 95,             // planned running km of the biggest week
    race: { date: "2026-09-26", name: "Alpenglow Trail 50K", distance_km: 50, dplus_m: 2500, start_local: "07:00" },
    home: { lat: 47.2629, lon: 11.3948, alt_m: 575 },      // valley town
    trailhead: { lat: 47.2862, lon: 11.4153, alt_m: 860 },  // foot of the local mountain
    race_start: { lat: 47.4470, lon: 12.3920, alt_m: 760 },
    device: { manufacturer: "garmin", product: 3906, product_name: "fenix 7", serial: 3398201457, software: 21.19 },
    shoes: { road: "Pegasus 40", trail: "Speedgoat 5" },
    strava_athlete_id: 48213377,
    garmin_first_activity_id: 21876543210,
    strava_first_activity_id: 16823412001,
    strava_weeks: 8,              // the first N weeks exist only in the Strava export
  },
};
// Small roster: FIT files only, fewer weeks, coarser recording, different
// equipment (no barometer, heart rate off) and race timing (past, future).
const ROSTER_BASE = {
  weeks: 12, last_sunday: "2026-11-22", fit_only: true, strava_weeks: 0, treadmill_week: null,
  record_dt: [4, 5, 6, 7, 8, 9, 10, 11, 12],
  shoes: { road: "", trail: "" },
};
PROFILES["roster/alex"] = {
  ...ROSTER_BASE, id: "roster/alex", name: "Alex Moreau", sex: "male", body_mass_kg: 71, seed: 7301,
  hr_max_bpm: 184, hr_rest_bpm: 42, lthr_bpm: 166, threshold_pace_s_per_km: 228, peak_week_km: 110,
  race: { date: "2026-10-24", name: "Three Fells 100K", distance_km: 100, dplus_m: 4500, start_local: "05:00" },
  home: { lat: 54.4287, lon: -2.9613, alt_m: 60 }, trailhead: { lat: 54.4493, lon: -3.0012, alt_m: 120 },
  race_start: { lat: 54.6012, lon: -3.1340, alt_m: 80 },
  tz_base_min: 0, tz_name: "UK time (UTC+00:00, summer UTC+01:00)",
  device: { manufacturer: "garmin", product: 4315, product_name: "Forerunner 965", serial: 3412098871, software: 22.26 },
  equipment: { heart_rate: true, barometer: true }, garmin_first_activity_id: 21901111000,
  coach: { equipment: "dumbbell;barbell;box", days: "tue;thu", formats: "garmin-fit;trainingpeaks;ics",
           trainingpeaks_athlete_id: 1184321, calendar_name: "Alex – strength" },
};
PROFILES["roster/jana"] = {
  ...ROSTER_BASE, id: "roster/jana", name: "Jana Novak", sex: "female", body_mass_kg: 61, seed: 7302,
  hr_max_bpm: 192, hr_rest_bpm: 55, lthr_bpm: 174, threshold_pace_s_per_km: 290, peak_week_km: 55,
  race: { date: "2027-01-30", name: "Winter Trail 30K", distance_km: 30, dplus_m: 1200, start_local: "09:00" },
  home: { lat: 49.1951, lon: 16.6068, alt_m: 240 }, trailhead: { lat: 49.2310, lon: 16.5420, alt_m: 300 },
  race_start: { lat: 49.3003, lon: 16.4001, alt_m: 420 },
  device: { manufacturer: "garmin", product: 4024, product_name: "Forerunner 955", serial: 3391002217, software: 20.32 },
  equipment: { heart_rate: true, barometer: false }, garmin_first_activity_id: 21902222000,
  coach: { equipment: "band;dumbbell", days: "mon;wed;fri", formats: "garmin-connect;trainingpeaks;csv",
           trainingpeaks_athlete_id: 1184322, calendar_name: "" },
};
PROFILES["roster/sam"] = {
  ...ROSTER_BASE, id: "roster/sam", name: "Sam Okafor", sex: "male", body_mass_kg: 76, seed: 7303,
  hr_max_bpm: 181, hr_rest_bpm: 50, lthr_bpm: 163, threshold_pace_s_per_km: 262, peak_week_km: 80,
  race: { date: "2026-11-14", name: "Autumn Ridges 80K", distance_km: 80, dplus_m: 3500, start_local: "06:00" },
  home: { lat: 46.4994, lon: 11.3548, alt_m: 265 }, trailhead: { lat: 46.5240, lon: 11.4013, alt_m: 980 },
  race_start: { lat: 46.5690, lon: 11.6710, alt_m: 1240 },
  device: { manufacturer: "garmin", product: 3906, product_name: "fenix 7", serial: 3377710023, software: 21.19 },
  equipment: { heart_rate: false, barometer: true }, garmin_first_activity_id: 21903333000,
  coach: { equipment: "none", days: "", formats: "", trainingpeaks_athlete_id: "", calendar_name: "" },
};
for (const p of Object.values(PROFILES)) {
  p.tz_base_min ??= 60;
  p.tz_name ??= "Central European Time (UTC+01:00, summer UTC+02:00; EU rules)";
  p.equipment ??= { heart_rate: true, barometer: true };
  p.record_dt ??= [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6]; // Garmin smart recording, s
  p.treadmill_week = p.treadmill_week === undefined ? 1 : p.treadmill_week;
}

// ------------------------------------------------------------------ arguments
const argv = process.argv.slice(2);
if (argv[0] === "--list") { // profile ids, one a line (used by check.sh)
  console.log(Object.keys(PROFILES).join("\n"));
  process.exit(0);
}
if (argv.length < 1 || argv[0].startsWith("-")) {
  console.error("usage: node gen.mjs OUTDIR [--athlete NAME] [--quiet] | node gen.mjs --list");
  process.exit(2);
}
const outRoot = argv[0];
const athleteName = argv.includes("--athlete") ? argv[argv.indexOf("--athlete") + 1] : "athlete";
const quiet = argv.includes("--quiet");
const P = PROFILES[athleteName];
if (!P) {
  console.error(`unknown athlete '${athleteName}'; known: ${Object.keys(PROFILES).join(", ")}`);
  process.exit(2);
}

// ------------------------------------------------------------------ random
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rngFor = (tag, k) => mulberry32((P.seed ^ Math.imul(tag * 7919 + k + 1, 0x9e3779b1)) >>> 0);
const TAG_PLAN = 1, TAG_ACT = 2, TAG_IDS = 3;
const uni = (r, a, b) => a + (b - a) * r();
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const gauss = (r) => { // Box-Muller, one value
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};
const clamp = (x, a, b) => Math.min(b, Math.max(a, x));
const round = (x, d = 0) => { const f = 10 ** d; return Math.round(x * f) / f; };

// ------------------------------------------------------------------ time
const DAY_MS = 86400e3;
const FIT_EPOCH_MS = 631065600000;
const ymdToMs = (s) => { const [y, m, d] = s.split("-").map(Number); return Date.UTC(y, m - 1, d); };
const msToYmd = (ms) => new Date(ms).toISOString().slice(0, 10);
const lastSundayUtc = (y, month0) => { // 01:00 UTC on the last Sunday of the month
  const d = new Date(Date.UTC(y, month0 + 1, 0));
  return Date.UTC(y, month0, d.getUTCDate() - d.getUTCDay(), 1);
};
// European zones: standard offset (CET UTC+1, UK UTC+0) plus one hour of summer
// time from the last Sunday of March to the last Sunday of October, both at
// 01:00 UTC (EU directive 2000/84/EC; the UK keeps the same dates).
function utcOffsetMin(utcMs) {
  const y = new Date(utcMs).getUTCFullYear();
  return P.tz_base_min + (utcMs >= lastSundayUtc(y, 2) && utcMs < lastSundayUtc(y, 9) ? 60 : 0);
}
function localToUtc(localMs) {
  const guess = localMs - 60 * 60e3;
  return localMs - utcOffsetMin(guess) * 60e3;
}
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const isoMsZ = (ms) => new Date(ms).toISOString();

// ------------------------------------------------------------------ physiology
const V_T = 1000 / P.threshold_pace_s_per_km;            // threshold speed, m/s
const HRR = P.hr_max_bpm - P.hr_rest_bpm;
const LT_FRAC = (P.lthr_bpm - P.hr_rest_bpm) / HRR;       // %HRR at threshold
// Minetti et al. 2002 energy cost of running on grade i, J/kg/m (3.6 on the flat).
const costOfRunning = (i) => 155.4 * i ** 5 - 30.4 * i ** 4 - 43.3 * i ** 3 + 46.3 * i ** 2 + 19.5 * i + 3.6;
// Steady-state heart rate as %HRR from metabolic speed relative to threshold:
// linear below threshold (easy ~0.7 v_T -> ~0.66 HRR), steeper above it.
function hrFrac(x) {
  const f = x <= 1 ? LT_FRAC - 0.75 * (1 - x) : LT_FRAC + 0.7 * (x - 1);
  return clamp(f, 0.22, 0.995);
}

// ------------------------------------------------------------------ season plan
// Phase of a week from whole weeks to the race (analysis.md section 3.1) and,
// after the race, recovery R weeks, then off-season, then a new early block.
function phaseOf(idx, raceIdx, recoveryWeeks, taperWeeks) {
  const w = raceIdx - idx;
  if (w === 0) return "race";
  if (w > 0) {
    if (w <= taperWeeks) return "taper";
    if (w <= 8) return "late";
    if (w <= 16) return "mid";
    if (w <= 28) return "early";
    return "off-season";
  }
  const after = -w;
  if (after <= recoveryWeeks) return "recovery";
  if (after <= recoveryWeeks + 3) return "off-season";
  return "early";
}

function planSeason() {
  const r = rngFor(TAG_PLAN, 0);
  const lastSunday = ymdToMs(P.last_sunday);
  const firstMonday = lastSunday - (P.weeks * 7 - 1) * DAY_MS;
  const raceDay = ymdToMs(P.race.date);
  const raceIdx = Math.floor((raceDay - firstMonday) / DAY_MS / 7);
  const raceEkm = P.race.distance_km + P.race.dplus_m / 100;
  // Recovery length R by race effort-km (analysis.md section 3.1).
  const recoveryWeeks = raceEkm < 45 ? 1 : raceEkm < 115 ? 2 : raceEkm < 210 ? 3 : 4;
  // Taper length by race effort-km (analysis.md section 3.1: 1 week below 75).
  const taperWeeks = raceEkm < 75 ? 1 : 2;
  const earlyStart = raceIdx - 28, lateEnd = raceIdx - 3;
  const weeks = [];
  for (let i = 0; i < P.weeks; i++) {
    const phase = phaseOf(i, raceIdx, recoveryWeeks, taperWeeks);
    const monday = firstMonday + i * 7 * DAY_MS;
    let frac, dpk; // fraction of peak km; metres of climbing per km
    let recovery = false;
    if (["early", "mid", "late"].includes(phase) && i <= lateEnd) {
      const k = Math.max(0, i - Math.max(earlyStart, 0));
      const prog = clamp((i - earlyStart) / (lateEnd - earlyStart), 0, 1);
      frac = 0.36 + 0.64 * prog ** 0.9;
      dpk = 15 + 19 * prog;
      if (k % 4 === 3) { recovery = true; frac *= 0.68; dpk *= 0.9; }
    } else if (phase === "taper") {
      const firstTaper = raceIdx - i === taperWeeks;
      frac = firstTaper ? 0.6 : 0.42; dpk = firstTaper ? 26 : 22;
    } else if (phase === "race") {
      frac = 0.15; dpk = 10; // runs besides the race
    } else if (phase === "recovery") {
      const after = i - raceIdx;
      frac = after === 1 ? 0.15 : 0.28; dpk = after === 1 ? 10 : 14;
    } else if (phase === "off-season") {
      frac = uni(r, 0.2, 0.27); dpk = uni(r, 11, 16);
    } else { // early after the race: rebuilding
      // back from the break with a base: a quick rebuild, so that the weekly
      // series also reads "early" (r >= 0.35, rising) by the last weeks
      const k = i - (raceIdx + recoveryWeeks + 4);
      frac = 0.4 + 0.1 * k; dpk = 16 + 2 * k;
    }
    frac *= uni(r, 0.96, 1.04);
    weeks.push({ index: i, monday, phase, recovery_week: recovery, km: P.peak_week_km * frac, dpk });
  }
  for (const w of weeks) w.sessions = planWeek(w, r, raceIdx, raceDay);
  return { weeks, raceIdx, recoveryWeeks, taperWeeks, firstMonday };
}

// Session templates: [day (0 = Monday), kind, share of the week's running km].
const TEMPLATES = {
  "off-season": [[1, "easy", 0.3], [3, "easy", 0.3], [6, "long", 0.4]],
  "early": [[1, "easy_strides", 0.17], [2, "easy", 0.15], [3, "hills", 0.18], [5, "easy", 0.18], [6, "long", 0.32]],
  "early-rec": [[1, "easy", 0.25], [3, "easy_strides", 0.25], [5, "easy", 0.2], [6, "long", 0.3]],
  "mid": [[1, "intervals", 0.16], [2, "easy", 0.14], [3, "hills", 0.16], [4, "easy", 0.1], [5, "easy", 0.14], [6, "long", 0.3]],
  "mid-rec": [[1, "easy", 0.22], [3, "intervals", 0.2], [5, "easy", 0.22], [6, "long", 0.36]],
  "late": [[1, "intervals", 0.13], [2, "easy", 0.12], [3, "hills", 0.13], [4, "easy", 0.07], [5, "long_trail", 0.33], [6, "b2b", 0.22]],
  "late-rec": [[1, "easy", 0.2], [3, "intervals", 0.2], [5, "long_trail", 0.35], [6, "easy", 0.25]],
  "taper": [[1, "intervals", 0.2], [2, "easy", 0.18], [3, "easy", 0.15], [5, "long_trail", 0.3], [6, "easy", 0.17]],
  "taper2": [[1, "intervals", 0.3], [2, "easy", 0.22], [3, "easy_strides", 0.18], [5, "easy", 0.3]],
  "race": [[1, "intervals", 0.45], [3, "easy", 0.35], [4, "easy", 0.2]],
  "recovery1": [[2, "easy", 0.3], [4, "easy", 0.35], [6, "easy", 0.35]],
  "recovery2": [[1, "easy", 0.25], [3, "easy", 0.3], [6, "long", 0.45]],
};
// Hilliness weight per km for sharing out the week's climbing.
const HILLY = { easy: 0.35, easy_strides: 0.35, intervals: 0.1, hills: 1.8, long: 1.3, long_trail: 2.2, b2b: 1.8, treadmill: 0 };

function planWeek(w, r, raceIdx, raceDay) {
  let key = w.phase;
  if (w.recovery_week) key = `${w.phase}-rec`;
  if (w.phase === "taper" && raceIdx - w.index === 1 && P.race.distance_km + P.race.dplus_m / 100 >= 75) key = "taper2";
  if (w.phase === "recovery") key = w.index - raceIdx === 1 ? "recovery1" : "recovery2";
  const tpl = TEMPLATES[key];
  const sessions = tpl.map(([day, kind, share]) => ({ day, kind, km: w.km * share * uni(r, 0.92, 1.08) }));
  // the first off-season stretch is winter: one run on the treadmill
  if (w.index === P.treadmill_week) sessions[0].kind = "treadmill";
  const wsum = sessions.reduce((s, x) => s + (HILLY[x.kind] ?? 0.3) * x.km, 0);
  const dplus = w.km * w.dpk;
  for (const s of sessions) {
    s.dplus = wsum > 0 ? dplus * ((HILLY[s.kind] ?? 0.3) * s.km) / wsum : 0;
    s.dplus = Math.min(s.dplus, s.km * 85);
  }
  if (w.phase === "race") {
    sessions.push({ day: Math.round((raceDay - w.monday) / DAY_MS), kind: "race", km: P.race.distance_km, dplus: P.race.dplus_m });
  }
  // strength sessions per week by phase (analysis.md section 4.3)
  const strength = { "off-season": [0, 3], early: [0, 3], mid: [0, 3], late: [0], taper: [0], race: [], recovery: [] }[w.phase];
  let st = strength.slice();
  if (w.phase === "taper" && raceIdx - w.index === 1) st = [];
  if (w.phase === "recovery" && w.index - raceIdx === 2) st = [2];
  if (w.recovery_week && st.length > 1) st = [0];
  for (const d of st) sessions.push({ day: d, kind: "strength", km: 0, dplus: 0 });
  // cross-training: rides in the off-season, hikes as vertical training
  if (w.phase === "off-season") sessions.push({ day: 5, kind: "ride", km: uni(r, 38, 62), dplus: uni(r, 300, 650) });
  const hikeWeeks = { mid: [raceIdx - 12], late: [raceIdx - 7], recovery: [raceIdx + 2], "off-season": [raceIdx + 4] };
  if ((hikeWeeks[w.phase] || []).includes(w.index)) {
    const big = w.phase === "mid" || w.phase === "late";
    sessions.push({ day: w.phase === "late" ? 2 : 5, kind: "hike", km: big ? uni(r, 14, 17) : uni(r, 9, 12), dplus: big ? uni(r, 1300, 1700) : uni(r, 550, 850) });
  }
  if (w.phase === "mid" && w.index === raceIdx - 15) sessions.push({ day: 2, kind: "ride", km: uni(r, 30, 40), dplus: uni(r, 200, 400) });
  for (const s of sessions) s.start_local_min = startMinute(s, r);
  // one headlamp run just after midnight, Monday in local time but still
  // Sunday in UTC: weeks must be cut in local time (analysis.md section 2.3)
  // (it replaces the week's Wednesday easy run)
  // a flat 10 km road race as a tune-up in a recovery week of the build: the
  // one all-out ~40-min effort a threshold-pace estimate can anchor on
  const sat = sessions.findIndex((x) => x.day === 5 && x.kind === "easy");
  if (w.index === raceIdx - 13 && !P.fit_only && sat >= 0) Object.assign(sessions[sat], { kind: "road_race", km: 10, dplus: 25 });
  const wed = sessions.findIndex((x) => x.day === 2 && x.kind === "easy");
  if (w.index === raceIdx - 6 && !P.fit_only && wed >= 0) Object.assign(sessions[wed], { day: 0, start_local_min: 35, night: true });
  sessions.sort((a, b) => a.day - b.day || a.start_local_min - b.start_local_min);
  return sessions;
}

function startMinute(s, r) {
  if (s.kind === "race") { const [h, m] = P.race.start_local.split(":").map(Number); return h * 60 + m; }
  if (s.kind === "strength") return s.day === 0 ? 19 * 60 + 10 + Math.floor(r() * 30) : 12 * 60 + 10 + Math.floor(r() * 20);
  if (s.day >= 5) return 8 * 60 + Math.floor(r() * 90);
  // Tuesday and Thursday after work, the other weekdays before it
  if (s.day === 1 || s.day === 3) return 17 * 60 + 45 + Math.floor(r() * 45);
  return 6 * 60 + 5 + Math.floor(r() * 35);
}

// ------------------------------------------------------------------ terrain
// An altitude profile along distance: flat stretches and climbs/descents,
// piecewise linear, plus gentle undulation below the 3 m ascent hysteresis.
function makeTerrain(r, distM, dplus, style, baseAlt) {
  const segs = []; // {len, dh}
  if (style === "hills") {
    const repH = clamp(dplus / 7, 45, 110), g = uni(r, 0.08, 0.12);
    const reps = clamp(Math.round(dplus / repH), 3, 12);
    const warm = Math.min(2500, distM * 0.3);
    segs.push({ len: warm, dh: 0, tag: "warm" });
    for (let k = 0; k < reps; k++) {
      segs.push({ len: repH / g, dh: repH, tag: "up" });
      segs.push({ len: repH / g, dh: -repH, tag: "down", back: true });
    }
    const used = segs.reduce((s, x) => s + x.len, 0);
    segs.push({ len: Math.max(300, distM - used), dh: 0, tag: "cool" });
  } else if (dplus < 30) {
    segs.push({ len: distM, dh: 0 });
  } else {
    const trail = style === "trail" || style === "race";
    const climbH = style === "race" ? uni(r, 450, 650) : trail ? uni(r, 220, 480) : uni(r, 35, 80);
    const n = Math.max(1, Math.round(dplus / climbH));
    const hs = Array.from({ length: n }, () => uni(r, 0.6, 1.4));
    const hsum = hs.reduce((a, b) => a + b, 0);
    let g = trail ? uni(r, 0.09, 0.15) : uni(r, 0.035, 0.065);
    const climbLen = (2 * dplus) / g;
    if (climbLen > 0.85 * distM) g = Math.min(0.32, (2 * dplus) / (0.85 * distM));
    const flatTotal = Math.max(0, distM - (2 * dplus) / g);
    const fw = Array.from({ length: n + 1 }, () => uni(r, 0.3, 1.7));
    const fsum = fw.reduce((a, b) => a + b, 0);
    for (let k = 0; k < n; k++) {
      const h = (dplus * hs[k]) / hsum;
      segs.push({ len: (flatTotal * fw[k]) / fsum, dh: 0 });
      const gu = g * uni(r, 0.85, 1.15), gd = g * uni(r, 0.85, 1.15);
      segs.push({ len: h / gu, dh: h, tag: "up" });
      segs.push({ len: h / gd, dh: -h, tag: "down" });
    }
    segs.push({ len: (flatTotal * fw[n]) / fsum, dh: 0 });
  }
  let d = 0, a = baseAlt;
  for (const s of segs) { s.d0 = d; s.a0 = a; d += s.len; a += s.dh; }
  const ph1 = uni(r, 0, 6.28), ph2 = uni(r, 0, 6.28);
  let idx = 0;
  const at = (x) => { // monotone queries are the common case
    if (idx >= segs.length || x < segs[idx].d0) idx = 0;
    while (idx < segs.length - 1 && x >= segs[idx].d0 + segs[idx].len) idx++;
    const s = segs[idx];
    const t = s.len > 0 ? clamp((x - s.d0) / s.len, 0, 1) : 1;
    return { alt: s.a0 + s.dh * t + 0.9 * Math.sin(x / 97 + ph1) + 0.5 * Math.sin(x / 233 + ph2), seg: s };
  };
  return { segs, at, total: d };
}

// ------------------------------------------------------------------ simulation
const DEG = 180 / Math.PI, EARTH_R = 6371008.8;

// Intended effort (equivalent flat speed as a fraction of v_T) per session kind.
function effortPlan(kind, r, phase) {
  const easy = uni(r, 0.68, 0.72);
  const p = { base: easy, reps: [], strides: false };
  if (kind === "long" || kind === "long_trail") p.base = uni(r, 0.68, 0.71);
  if (kind === "b2b") p.base = uni(r, 0.65, 0.68);
  if (kind === "easy" && phase === "recovery") p.base = uni(r, 0.62, 0.66);
  if (kind === "easy_strides") p.strides = true;
  if (kind === "intervals") {
    const sets = {
      early: [6, 120, 1.05, 90], mid: [5, 300, 1.02, 150], late: [3, 600, 0.97, 180],
      taper: [6, 180, 1.03, 120], race: [4, 90, 1.02, 90],
    }[phase] || [5, 240, 1.0, 120];
    p.reps = { n: sets[0], work: sets[1], level: sets[2], rest: sets[3] };
  }
  if (kind === "race") p.base = uni(r, 0.84, 0.86);
  if (kind === "road_race") p.base = uni(r, 1.02, 1.04);
  return p;
}

function simulate(sess, r, startUtcMs, phase) {
  const kind = sess.kind;
  if (kind === "strength") return simulateStrength(sess, r, startUtcMs);
  const isRide = kind === "ride", isHike = kind === "hike", indoor = kind === "treadmill";
  const trail = ["long_trail", "b2b", "race", "hike"].includes(kind) || (kind === "long" && sess.dplus > 400);
  const style = kind === "hills" ? "hills" : kind === "race" ? "race" : trail ? "trail" : "road";
  const origin = kind === "race" ? P.race_start : trail ? P.trailhead : P.home;
  const distM = sess.km * 1000;
  const terrain = makeTerrain(r, distM, indoor ? 0 : sess.dplus, style, origin.alt_m);
  const eff = effortPlan(kind, r, phase);
  const pointToPoint = kind === "race";

  // stops: auto-pause at a road crossing or a fountain (timer stopped), never in a race
  const stops = [];
  if (!pointToPoint && !indoor && kind !== "road_race") {
    const n = kind.startsWith("long") || kind === "b2b" || isHike ? 1 + Math.floor(r() * 2) : r() < 0.35 ? 1 : 0;
    for (let k = 0; k < n; k++) stops.push({ at: distM * uni(r, 0.2, 0.85), dur: Math.round(uni(r, 25, isHike ? 600 : 150)), done: false });
    stops.sort((a, b) => a.at - b.at);
  }
  // race aid stations: timer keeps running, athlete walks through
  const aid = pointToPoint ? [0.22, 0.45, 0.68, 0.86].map((f) => ({ at: distM * f, dur: Math.round(uni(r, 60, 160)) })) : [];

  let t = 0, dist = 0, lat = origin.lat, lon = origin.lon;
  let heading = uni(r, 0, 2 * Math.PI), hr = uni(r, 82, 96), noise = 0, altNoise = 0;
  let hrNoise = 0, nextRec = 0, aidLeft = 0, aidIdx = 0;
  const records = [], pauses = [];
  let stepping = true, ascentHeading = null;
  const repsStart = 900; // intervals start after a 15-min warm-up
  const maxT = 60 * 3600;
  let lastEffort = eff.base;
  while (stepping && t < maxT) {
    // --- intended effort at this moment
    let e = eff.base;
    const { alt: altNow, seg } = terrain.at(dist);
    if (eff.reps.n) {
      const cyc = eff.reps.work + eff.reps.rest;
      const k = Math.floor((t - repsStart) / cyc);
      if (t >= repsStart && k < eff.reps.n) e = (t - repsStart) % cyc < eff.reps.work ? eff.reps.level : 0.55;
      else if (t >= repsStart) e = uni(r, 0.64, 0.66);
    }
    if (kind === "hills") e = seg.tag === "up" ? 1.05 : seg.tag === "down" ? 0.55 : eff.base;
    if (eff.strides && dist > distM * 0.7 && dist < distM * 0.7 + 6 * 150) {
      e = ((dist - distM * 0.7) % 150) < 80 ? 1.18 : 0.6;
    }
    if (kind === "race") e = eff.base - 0.1 * (dist / distM); // fading over the day
    if (t > 2 * 3600 && kind !== "race") e *= 1 - clamp(0.03 * (t / 3600 - 2), 0, 0.08);
    // --- grade from the terrain over +-15 m
    const grade = indoor ? 0 : (terrain.at(dist + 15).alt - terrain.at(Math.max(0, dist - 15)).alt) / (dist < 15 ? 15 + dist : 30);
    let v, veq, cad;
    if (isRide) {
      const flat = 7.6;
      v = grade > 0 ? flat / (1 + 14 * grade) : Math.min(15, flat * (1 - 7 * grade));
      veq = 0; cad = grade < -0.04 ? 0 : Math.round(84 + 6 * gauss(r));
    } else if (isHike) {
      v = grade > 0.03 ? clamp(0.16 / grade, 0.45, 1.35) : grade < -0.08 ? 1.05 : 1.35;
      veq = (v * costOfRunning(clamp(grade, -0.45, 0.45))) / 3.6;
      cad = Math.round(54 + 3 * gauss(r));
    } else {
      const vflat = e * V_T;
      v = (vflat * 3.6) / costOfRunning(clamp(grade, -0.45, 0.45));
      v = Math.min(v, vflat * (trail ? 1.12 : 1.2));
      veq = (v * costOfRunning(clamp(grade, -0.45, 0.45))) / 3.6;
      cad = v < 1.7 ? Math.round(56 + 2 * gauss(r)) : Math.round(80 + 4.5 * (v - 2.8) + 1.2 * gauss(r));
    }
    if (aidLeft > 0) { v = 0.35; veq = 0.4; cad = 40; aidLeft--; }
    noise = 0.92 * noise + 0.02 * gauss(r);
    v = Math.max(0.3, v * (1 + noise));
    // --- heart rate: first-order response to effort with drift
    let target;
    if (isRide) target = P.hr_rest_bpm + HRR * clamp(0.5 + 2.2 * Math.max(0, grade) - (cad === 0 ? 0.12 : 0), 0.3, 0.85);
    else target = P.hr_rest_bpm + HRR * hrFrac(veq / V_T);
    target += Math.min(10, Math.max(0, (t - 1200) / 60) * 0.06);
    if (kind === "race" || kind === "road_race") target += 4;
    const tau = target > hr ? 22 : 38;
    hr += (target - hr) * (1 - Math.exp(-1 / tau));
    hrNoise = 0.8 * hrNoise + 0.6 * gauss(r);
    // --- position
    if (!indoor) {
      heading += 0.05 * gauss(r);
      if (style === "hills" && seg.tag) {
        if (seg.tag === "up" && ascentHeading === null) ascentHeading = heading;
        if (seg.tag === "up") heading = ascentHeading; else if (seg.tag === "down") heading = ascentHeading + Math.PI;
      }
      if (!pointToPoint && dist > distM * 0.5) { // head home
        const dy = (origin.lat - lat) / DEG * EARTH_R, dx = (origin.lon - lon) / DEG * EARTH_R * Math.cos(lat / DEG);
        const want = Math.atan2(dx, dy);
        let diff = want - heading; diff = Math.atan2(Math.sin(diff), Math.cos(diff));
        heading += 0.04 * diff;
      }
      lat += (v * Math.cos(heading)) / EARTH_R * DEG;
      lon += (v * Math.sin(heading)) / (EARTH_R * Math.cos(lat / DEG)) * DEG;
    }
    dist += v; t += 1;
    // barometric altitude is smooth; GPS-only altitude wanders by metres
    altNoise = P.equipment.barometer ? 0.85 * altNoise + 0.08 * gauss(r) : 0.97 * altNoise + 0.7 * gauss(r);
    const changed = Math.abs(e - lastEffort) > 0.1;
    lastEffort = e;
    if (t >= nextRec || changed || dist >= distM) {
      records.push({
        t, dist, v, lat, lon, alt: Math.round((terrain.at(dist).alt + altNoise) * 5) / 5,
        hr: clamp(Math.round(hr + hrNoise), 40, P.hr_max_bpm), cad: clamp(cad, 0, 120),
      });
      nextRec = t + pick(r, P.record_dt);
    }
    if (aidIdx < aid.length && dist >= aid[aidIdx].at) { aidLeft = aid[aidIdx].dur; aidIdx++; }
    for (const s of stops) {
      if (!s.done && dist >= s.at) {
        s.done = true;
        if (records[records.length - 1].t !== t) records.push({ ...records[records.length - 1], t, dist, v });
        pauses.push({ from: t, to: t + s.dur });
        hr = Math.max(P.hr_rest_bpm + 30, hr - s.dur * 0.35);
        t += s.dur;
        nextRec = t;
      }
    }
    if (dist >= distM) stepping = false;
  }
  const sport = isRide ? ["cycling", "road"] : isHike ? ["hiking", "generic"] : indoor ? ["running", "treadmill"] : trail || kind === "hills" ? ["running", "trail"] : ["running", "street"];
  return { kind, sport: sport[0], subSport: sport[1], start: startUtcMs, records, pauses, gps: !indoor };
}

function simulateStrength(sess, r, startUtcMs) {
  const records = [];
  const sets = 10 + Math.floor(r() * 5);
  const warm = 360 + Math.floor(r() * 240);
  const work = [];
  let t = warm;
  for (let k = 0; k < sets; k++) { const w = Math.round(uni(r, 30, 55)); work.push([t, t + w]); t += w + Math.round(uni(r, 75, 150)); }
  const total = t + 120;
  let hr = uni(r, 80, 92), hn = 0, next = 0;
  for (let s = 1; s <= total; s++) {
    const inWork = work.some(([a, b]) => s >= a && s < b);
    const target = inWork ? P.hr_rest_bpm + HRR * uni(r, 0.55, 0.62) : P.hr_rest_bpm + HRR * (s < warm ? 0.32 : 0.38);
    hr += (target - hr) * (1 - Math.exp(-1 / (target > hr ? 15 : 30)));
    hn = 0.8 * hn + 0.6 * gauss(r);
    if (s >= next) { records.push({ t: s, hr: clamp(Math.round(hr + hn), 40, P.hr_max_bpm) }); next = s + pick(r, P.record_dt); }
  }
  return { kind: "strength", sport: "training", subSport: "strengthTraining", start: startUtcMs, records, pauses: [], gps: false, sets: work.length };
}

// ------------------------------------------------------------------ summaries
// Ascent with a 3 m hysteresis on the recorded altitude (GoldenCheetah's
// default, analysis.md section 1.1), so the summary matches the stream.
function ascentDescent(recs) {
  let up = 0, down = 0, anchor = null;
  for (const x of recs) {
    if (x.alt === undefined) continue;
    if (anchor === null) { anchor = x.alt; continue; }
    if (x.alt > anchor + 3) { up += x.alt - anchor; anchor = x.alt; } else if (x.alt < anchor - 3) { down += anchor - x.alt; anchor = x.alt; }
  }
  return [Math.round(up), Math.round(down)];
}

function summarize(act, first, last) {
  const recs = act.records.slice(first, last + 1);
  const startT = first === 0 ? 0 : act.records[first - 1].t;
  const startDist = first === 0 ? 0 : act.records[first - 1].dist ?? 0;
  const endT = recs[recs.length - 1].t;
  let paused = 0;
  for (const p of act.pauses) if (p.from >= startT && p.to <= endT) paused += p.to - p.from;
  const elapsed = endT - startT, timer = elapsed - paused;
  let hrw = 0, hrt = 0, hrMax = 0, vMax = 0, cadw = 0;
  let prev = startT;
  for (const x of recs) {
    let dt = x.t - prev; prev = x.t;
    for (const p of act.pauses) if (p.from >= x.t - dt && p.to <= x.t) dt -= p.to - p.from;
    hrw += x.hr * dt; hrt += dt; cadw += (x.cad ?? 0) * dt;
    hrMax = Math.max(hrMax, x.hr); vMax = Math.max(vMax, x.v ?? 0);
  }
  const distance = act.gps || act.sport === "running" ? (recs[recs.length - 1].dist ?? 0) - startDist : 0;
  const [asc, desc] = ascentDescent(first === 0 ? recs : act.records.slice(first - 1, last + 1));
  const km = distance / 1000, h = timer / 3600, m = P.body_mass_kg;
  const kcal = act.sport === "running" ? m * km * 1.0 + asc * m * 0.006
    : act.sport === "hiking" ? m * km * 0.7 + asc * m * 0.009
      : act.sport === "cycling" ? 560 * h : 7.5 * timer / 60;
  return {
    startT, endT, elapsed, timer, distance: round(distance, 2),
    avgHr: Math.round(hrw / Math.max(1, hrt)), maxHr: hrMax, maxSpeed: round(vMax, 3),
    avgSpeed: timer > 0 ? round(distance / timer, 3) : 0, avgCad: Math.round(cadw / Math.max(1, hrt)),
    ascent: asc, descent: desc, calories: Math.round(kcal),
  };
}

function makeLaps(act) {
  const laps = [];
  if (!act.gps && act.sport !== "running") return [{ first: 0, last: act.records.length - 1, trigger: "sessionEnd" }];
  const every = act.sport === "cycling" ? 5000 : 1000; // Garmin auto lap
  let first = 0, mark = every;
  act.records.forEach((x, i) => {
    if (i === act.records.length - 1) laps.push({ first, last: i, trigger: "sessionEnd" });
    else if (x.dist >= mark) { laps.push({ first, last: i, trigger: "distance" }); first = i + 1; mark += every; }
  });
  return laps;
}

// ------------------------------------------------------------------ FIT
const fitSecs = (ms) => Math.round((ms - FIT_EPOCH_MS) / 1000);
const SEMI = 2 ** 31 / 180;

const hrFields = (s) => (P.equipment.heart_rate ? { avgHeartRate: s.avgHr, maxHeartRate: s.maxHr } : {});

function encodeFit(act) {
  const enc = new Encoder();
  const M = Profile.MesgNum;
  const at = (t) => new Date(act.start + t * 1000);
  const dev = P.device;
  enc.onMesg(M.FILE_ID, { type: "activity", manufacturer: dev.manufacturer, product: dev.product, serialNumber: dev.serial, timeCreated: at(0) });
  enc.onMesg(M.DEVICE_INFO, {
    timestamp: at(0), deviceIndex: "creator", manufacturer: dev.manufacturer, product: dev.product,
    serialNumber: dev.serial, softwareVersion: dev.software, productName: dev.product_name,
  });
  enc.onMesg(M.EVENT, { timestamp: at(0), event: "timer", eventType: "start", eventGroup: 0 });
  const laps = makeLaps(act);
  let li = 0, pi = 0;
  act.records.forEach((x, i) => {
    while (pi < act.pauses.length && act.pauses[pi].to <= x.t && act.pauses[pi].to > (i ? act.records[i - 1].t : 0)) {
      enc.onMesg(M.EVENT, { timestamp: at(act.pauses[pi].from), event: "timer", eventType: "stopAll", eventGroup: 0 });
      enc.onMesg(M.EVENT, { timestamp: at(act.pauses[pi].to), event: "timer", eventType: "start", eventGroup: 0 });
      pi++;
    }
    const rec = { timestamp: at(x.t) };
    if (P.equipment.heart_rate) rec.heartRate = x.hr;
    if (act.gps) { rec.positionLat = Math.round(x.lat * SEMI); rec.positionLong = Math.round(x.lon * SEMI); }
    if (x.dist !== undefined) { rec.distance = round(x.dist, 2); rec.enhancedSpeed = round(x.v, 3); }
    if (x.alt !== undefined) rec.enhancedAltitude = x.alt;
    if (x.cad !== undefined) rec.cadence = x.cad;
    enc.onMesg(M.RECORD, rec);
    const lap = laps[li];
    if (lap && lap.last === i) {
      const s = summarize(act, lap.first, lap.last);
      enc.onMesg(M.LAP, {
        messageIndex: li, timestamp: at(x.t), event: "lap", eventType: "stop", lapTrigger: lap.trigger,
        startTime: at(s.startT), totalElapsedTime: s.elapsed, totalTimerTime: s.timer, totalDistance: s.distance,
        enhancedAvgSpeed: s.avgSpeed, enhancedMaxSpeed: s.maxSpeed, ...hrFields(s),
        totalAscent: s.ascent, totalDescent: s.descent, totalCalories: s.calories,
        sport: act.sport, subSport: act.subSport, ...(act.sport === "training" ? {} : { avgCadence: s.avgCad }),
      });
      li++;
    }
  });
  const s = summarize(act, 0, act.records.length - 1);
  const end = at(s.endT);
  enc.onMesg(M.EVENT, { timestamp: end, event: "timer", eventType: "stopAll", eventGroup: 0 });
  const first = act.records[0];
  enc.onMesg(M.SESSION, {
    messageIndex: 0, timestamp: end, event: "session", eventType: "stop", startTime: at(0),
    sport: act.sport, subSport: act.subSport, firstLapIndex: 0, numLaps: laps.length, trigger: "activityEnd",
    totalElapsedTime: s.elapsed, totalTimerTime: s.timer, totalDistance: s.distance,
    enhancedAvgSpeed: s.avgSpeed, enhancedMaxSpeed: s.maxSpeed, ...hrFields(s),
    totalAscent: s.ascent, totalDescent: s.descent, totalCalories: s.calories,
    ...(act.gps ? { startPositionLat: Math.round(first.lat * SEMI), startPositionLong: Math.round(first.lon * SEMI) } : {}),
    ...(act.sport === "training" ? {} : { avgCadence: s.avgCad }),
  });
  enc.onMesg(M.ACTIVITY, {
    timestamp: end, totalTimerTime: s.timer, numSessions: 1, type: "manual", event: "activity", eventType: "stop",
    localTimestamp: fitSecs(end.getTime()) + utcOffsetMin(end.getTime()) * 60,
  });
  return { bytes: enc.close(), summary: s, laps };
}

// ------------------------------------------------------------------ TCX / GPX
const f7 = (x) => x.toFixed(7);
// Garmin Connect keeps every record; these exports are thinned to >= minGap s
// so the text files stay small.
function thin(recs, minGap) {
  const out = [];
  let last = -1e9;
  recs.forEach((x, i) => { if (x.t - last >= minGap || i === recs.length - 1) { out.push(x); last = x.t; } });
  return out;
}

function writeTcx(act, laps) {
  const at = (t) => isoMsZ(act.start + t * 1000);
  let s = `<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase
  xsi:schemaLocation="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
  xmlns:ns5="http://www.garmin.com/xmlschemas/ActivityGoals/v1"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"
  xmlns:ns2="http://www.garmin.com/xmlschemas/UserProfile/v2"
  xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns4="http://www.garmin.com/xmlschemas/ProfileExtension/v1">
  <Activities>
    <Activity Sport="Running">
      <Id>${at(0)}</Id>
`;
  for (const lap of laps) {
    const m = summarize(act, lap.first, lap.last);
    s += `      <Lap StartTime="${at(m.startT)}">
        <TotalTimeSeconds>${m.timer.toFixed(1)}</TotalTimeSeconds>
        <DistanceMeters>${m.distance.toFixed(1)}</DistanceMeters>
        <MaximumSpeed>${m.maxSpeed.toFixed(15)}</MaximumSpeed>
        <Calories>${m.calories}</Calories>
        <AverageHeartRateBpm>
          <Value>${m.avgHr}</Value>
        </AverageHeartRateBpm>
        <MaximumHeartRateBpm>
          <Value>${m.maxHr}</Value>
        </MaximumHeartRateBpm>
        <Intensity>Active</Intensity>
        <TriggerMethod>${lap.trigger === "distance" ? "Distance" : "Manual"}</TriggerMethod>
        <Track>
`;
    for (const x of thin(act.records.slice(lap.first, lap.last + 1), 6)) {
      s += `          <Trackpoint>
            <Time>${at(x.t)}</Time>
            <Position>
              <LatitudeDegrees>${f7(x.lat)}</LatitudeDegrees>
              <LongitudeDegrees>${f7(x.lon)}</LongitudeDegrees>
            </Position>
            <AltitudeMeters>${x.alt.toFixed(1)}</AltitudeMeters>
            <DistanceMeters>${x.dist.toFixed(1)}</DistanceMeters>
            <HeartRateBpm>
              <Value>${x.hr}</Value>
            </HeartRateBpm>
            <Extensions>
              <ns3:TPX>
                <ns3:Speed>${x.v.toFixed(3)}</ns3:Speed>
                <ns3:RunCadence>${x.cad}</ns3:RunCadence>
              </ns3:TPX>
            </Extensions>
          </Trackpoint>
`;
    }
    s += `        </Track>
        <Extensions>
          <ns3:LX>
            <ns3:AvgSpeed>${m.avgSpeed.toFixed(3)}</ns3:AvgSpeed>
            <ns3:AvgRunCadence>${m.avgCad}</ns3:AvgRunCadence>
          </ns3:LX>
        </Extensions>
      </Lap>
`;
  }
  s += `      <Creator xsi:type="Device_t">
        <Name>${P.device.product_name}</Name>
        <UnitId>${P.device.serial}</UnitId>
        <ProductID>${P.device.product}</ProductID>
        <Version>
          <VersionMajor>${Math.floor(P.device.software)}</VersionMajor>
          <VersionMinor>${Math.round((P.device.software % 1) * 100)}</VersionMinor>
          <BuildMajor>0</BuildMajor>
          <BuildMinor>0</BuildMinor>
        </Version>
      </Creator>
    </Activity>
  </Activities>
  <Author xsi:type="Application_t">
    <Name>Connect Api</Name>
    <Build>
      <Version>
        <VersionMajor>0</VersionMajor>
        <VersionMinor>0</VersionMinor>
        <BuildMajor>0</BuildMajor>
        <BuildMinor>0</BuildMinor>
      </Version>
    </Build>
    <LangID>en</LangID>
    <PartNumber>006-D2449-00</PartNumber>
  </Author>
</TrainingCenterDatabase>
`;
  return s;
}

// Garmin Connect GPX (creator "Garmin Connect") or Strava's ("StravaGPX").
function writeGpx(act, name, flavour) {
  const strava = flavour === "strava";
  const ns = strava ? "gpxtpx" : "ns3";
  const head = strava
    ? `<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="StravaGPX Android" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd http://www.garmin.com/xmlschemas/GpxExtensions/v3 http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd http://www.garmin.com/xmlschemas/TrackPointExtension/v1 http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">
 <metadata>
  <time>${isoZ(act.start)}</time>
 </metadata>
 <trk>
  <name>${name}</name>
  <type>running</type>
  <trkseg>
`
    : `<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="Garmin Connect" version="1.1"
  xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/11.xsd"
  xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
  xmlns="http://www.topografix.com/GPX/1/1"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns2="http://www.garmin.com/xmlschemas/GpxExtensions/v3">
  <metadata>
    <link href="connect.garmin.com">
      <text>Garmin Connect</text>
    </link>
    <time>${isoMsZ(act.start)}</time>
  </metadata>
  <trk>
    <name>${name}</name>
    <type>running</type>
    <trkseg>
`;
  let s = head;
  for (const x of thin(act.records, strava ? 5 : 8)) {
    s += strava
      ? `   <trkpt lat="${f7(x.lat)}" lon="${f7(x.lon)}">
    <ele>${x.alt.toFixed(1)}</ele>
    <time>${isoZ(act.start + x.t * 1000)}</time>
    <extensions>
     <${ns}:TrackPointExtension>
      <${ns}:hr>${x.hr}</${ns}:hr>
      <${ns}:cad>${x.cad}</${ns}:cad>
     </${ns}:TrackPointExtension>
    </extensions>
   </trkpt>
`
      : `      <trkpt lat="${x.lat.toFixed(14)}" lon="${x.lon.toFixed(14)}">
        <ele>${x.alt.toFixed(1)}</ele>
        <time>${isoMsZ(act.start + x.t * 1000)}</time>
        <extensions>
          <${ns}:TrackPointExtension>
            <${ns}:hr>${x.hr}</${ns}:hr>
            <${ns}:cad>${x.cad}</${ns}:cad>
          </${ns}:TrackPointExtension>
        </extensions>
      </trkpt>
`;
  }
  s += strava ? "  </trkseg>\n </trk>\n</gpx>\n" : "    </trkseg>\n  </trk>\n</gpx>\n";
  return s;
}

// ------------------------------------------------------------------ Strava export
// English header of a 2025/26 account export, duplicate names included
// (input-formats.md section 4.1).
const STRAVA_HEADER = [
  "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description", "Elapsed Time", "Distance",
  "Max Heart Rate", "Relative Effort", "Commute", "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight",
  "Bike Weight", "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed", "Elevation Gain", "Elevation Loss",
  "Elevation Low", "Elevation High", "Max Grade", "Average Grade", "Average Positive Grade", "Average Negative Grade",
  "Max Cadence", "Average Cadence", "Max Heart Rate", "Average Heart Rate", "Max Watts", "Average Watts", "Calories",
  "Max Temperature", "Average Temperature", "Relative Effort", "Total Work", "Number of Runs", "Uphill Time", "Downhill Time",
  "Other Time", "Perceived Exertion", "Type", "Start Time", "Weighted Average Power", "Power Count",
  "Prefer Perceived Exertion", "Perceived Relative Effort", "Commute", "Total Weight Lifted", "From Upload",
  "Grade Adjusted Distance", "Weather Observation Time", "Weather Condition", "Weather Temperature", "Apparent Temperature",
  "Dewpoint", "Humidity", "Weather Pressure", "Wind Speed", "Wind Gust", "Wind Bearing", "Precipitation Intensity",
  "Sunrise Time", "Sunset Time", "Moon Phase", "Bike", "Gear", "Precipitation Probability", "Precipitation Type",
  "Cloud Cover", "Weather Visibility", "UV Index", "Weather Ozone", "Jump Count", "Total Grit", "Average Flow", "Flagged",
  "Average Elapsed Speed", "Dirt Distance", "Newly Explored Distance", "Newly Explored Dirt Distance", "Activity Count",
  "Total Steps", "Carbon Saved", "Pool Length", "Training Load", "Intensity", "Average Grade Adjusted Pace", "Timer Time",
  "Total Cycles", "Media",
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function stravaDate(ms) { // "Feb 17, 2026, 5:31:02 AM", UTC
  const d = new Date(ms);
  const h = d.getUTCHours(), h12 = h % 12 === 0 ? 12 : h % 12;
  const p2 = (x) => String(x).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
}
function dayPart(localMin) {
  const h = localMin / 60;
  return h < 11 ? "Morning" : h < 14 ? "Lunch" : h < 17 ? "Afternoon" : h < 21 ? "Evening" : "Night";
}
const csvCell = (v) => { const s = v === undefined || v === null ? "" : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };

// ------------------------------------------------------------------ main
const KIND_LABEL = {
  easy: "Easy run", easy_strides: "Easy run + strides", intervals: "Intervals", hills: "Hill repeats", long: "Long run",
  long_trail: "Long trail run", b2b: "Back-to-back long run", race: "Race", treadmill: "Treadmill run",
  hike: "Hike", ride: "Ride", strength: "Strength", road_race: "10K road race (tune-up)",
};
const outDir = path.join(outRoot, P.id);
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, "garmin"), { recursive: true });
if (!P.fit_only) fs.mkdirSync(path.join(outDir, "strava"), { recursive: true });

const plan = planSeason();
const idRng = rngFor(TAG_IDS, 0);
let garminId = P.garmin_first_activity_id, stravaId = P.strava_first_activity_id, uploadId = 17950000000 + Math.floor(idRng() * 1e6);
const activities = [];
const zipFiles = {};
const csvRows = [];
const written = [];

// Special files: which activities are exported other than as a loose FIT.
const pickSession = (week, day, kinds) => plan.weeks[week]?.sessions.find((s) => s.day === day && kinds.includes(s.kind));
const ri = P.fit_only ? -1000 : plan.raceIdx;
const tcxPicks = [pickSession(ri - 19, 2, ["easy"]), pickSession(ri - 11, 2, ["easy"]), pickSession(ri - 4, 2, ["easy"])].filter(Boolean);
const gpxPicks = [pickSession(ri - 15, 5, ["easy"]), pickSession(ri - 2, 2, ["easy"])].filter(Boolean);
const stravaGpxPick = P.fit_only ? null : pickSession(P.strava_weeks - 3, 5, ["easy"]);

let ordinal = 0;
for (const w of plan.weeks) {
  for (const sess of w.sessions) {
    const r = rngFor(TAG_ACT, ordinal++);
    const localStart = w.monday + sess.day * DAY_MS + sess.start_local_min * 60e3 + Math.floor(r() * 60) * 1000;
    const startUtc = localToUtc(localStart);
    const act = simulate(sess, r, startUtc, w.phase);
    const { bytes, summary, laps } = encodeFit(act);
    const offset = utcOffsetMin(startUtc);
    const inStrava = w.index < P.strava_weeks;
    const entry = {
      week: w.index, local_date: msToYmd(w.monday + sess.day * DAY_MS), kind: sess.kind,
      label: sess.night ? "Night run (Monday 00:35 local, Sunday in UTC)" : KIND_LABEL[sess.kind],
      sport: act.sport, sub_sport: act.subSport, start_utc: isoZ(startUtc), utc_offset_min: offset,
      planned_km: round(sess.km, 2), planned_dplus_m: Math.round(sess.dplus),
      distance_m: summary.distance, timer_s: summary.timer, elapsed_s: summary.elapsed,
      ascent_m: summary.ascent, descent_m: summary.descent, avg_hr_bpm: P.equipment.heart_rate ? summary.avgHr : null, max_hr_bpm: P.equipment.heart_rate ? summary.maxHr : null,
      records: act.records.length, files: [],
    };
    const gid = garminId; garminId += 40000 + Math.floor(idRng() * 900000);
    if (inStrava) {
      const sid = stravaId; stravaId += 90000 + Math.floor(idRng() * 4000000);
      const uid = uploadId; uploadId += 80000 + Math.floor(idRng() * 3000000);
      let fname;
      if (sess === stravaGpxPick) {
        fname = `activities/${uid}.gpx.gz`;
        zipFiles[fname] = [gzipSync(strToU8(writeGpx(act, `${dayPart(sess.start_local_min)} Run`, "strava")), { level: 6, mtime: new Date(startUtc) }), { mtime: new Date(startUtc) }];
      } else {
        fname = `activities/${uid}.fit.gz`;
        zipFiles[fname] = [gzipSync(bytes, { level: 6, mtime: new Date(startUtc) }), { mtime: new Date(startUtc) }];
      }
      entry.files.push({ path: `strava/export_${P.strava_athlete_id}.zip:${fname}`, format: fname.includes("gpx") ? "gpx" : "fit", strava_activity_id: sid });
      csvRows.push({ sid, sess, act, summary, startUtc, fname, offset });
      if (!fname.includes("gpx")) written.push({ name: fname, bytes, act });
    } else if (tcxPicks.includes(sess)) {
      const file = `garmin/activity_${gid}.tcx`;
      fs.writeFileSync(path.join(outDir, file), writeTcx(act, laps));
      entry.files.push({ path: file, format: "tcx", garmin_activity_id: gid });
    } else if (gpxPicks.includes(sess)) {
      const file = `garmin/activity_${gid}.gpx`;
      fs.writeFileSync(path.join(outDir, file), writeGpx(act, `Innsbruck ${KIND_LABEL[sess.kind]}`, "garmin"));
      entry.files.push({ path: file, format: "gpx", garmin_activity_id: gid });
    } else {
      const file = `garmin/${gid}_ACTIVITY.fit`;
      fs.writeFileSync(path.join(outDir, file), bytes);
      entry.files.push({ path: file, format: "fit", garmin_activity_id: gid });
      written.push({ name: file, bytes, act });
      // the first two activities after the Strava weeks were also synced to Strava
      if (w.index === P.strava_weeks && csvRows.filter((x) => x.overlap).length < 2 && act.sport === "running") {
        const sid = stravaId; stravaId += 90000 + Math.floor(idRng() * 4000000);
        const uid = uploadId; uploadId += 80000 + Math.floor(idRng() * 3000000);
        const fname = `activities/${uid}.fit.gz`;
        zipFiles[fname] = [gzipSync(bytes, { level: 6, mtime: new Date(startUtc) }), { mtime: new Date(startUtc) }];
        entry.files.push({ path: `strava/export_${P.strava_athlete_id}.zip:${fname}`, format: "fit", strava_activity_id: sid });
        csvRows.push({ sid, sess, act, summary, startUtc, fname, offset, overlap: true });
      }
      if (sess.kind === "race" && !P.fit_only) {
        const gfile = `garmin/activity_${gid}.gpx`;
        fs.writeFileSync(path.join(outDir, gfile), writeGpx(act, P.race.name, "garmin"));
        entry.files.push({ path: gfile, format: "gpx", garmin_activity_id: gid });
      }
    }
    entry.duplicate_files = entry.files.length > 1;
    activities.push(entry);
  }
}

if (!P.fit_only) {
// one manual Strava entry (indoor ride typed in by hand): a row without a file
{
  const w = plan.weeks[2];
  const startUtc = localToUtc(w.monday + 2 * DAY_MS + 18 * 3600e3 + 30 * 60e3);
  csvRows.push({ sid: stravaId, manual: true, startUtc, offset: utcOffsetMin(startUtc) });
  activities.push({
    week: 2, local_date: msToYmd(w.monday + 2 * DAY_MS), kind: "ride_manual", label: "Indoor ride (manual entry, no file)",
    sport: "cycling", sub_sport: "indoor_cycling", start_utc: isoZ(startUtc), utc_offset_min: utcOffsetMin(startUtc),
    planned_km: 0, planned_dplus_m: 0, distance_m: 0, timer_s: 2700, elapsed_s: 2700, ascent_m: 0, descent_m: 0,
    files: [{ path: `strava/export_${P.strava_athlete_id}.zip:activities.csv`, format: "csv", strava_activity_id: stravaId }],
    duplicate_files: false,
  });
}

// activities.csv, in Strava's order (by activity id)
csvRows.sort((a, b) => a.sid - b.sid);
const lines = [STRAVA_HEADER.join(",")];
for (const row of csvRows) {
  const cells = new Array(STRAVA_HEADER.length).fill("");
  const setAt = (name, v, nth = 0) => { let k = -1; for (let i = 0; i <= nth; i++) k = STRAVA_HEADER.indexOf(name, k + 1); cells[k] = v; };
  setAt("Activity ID", row.sid);
  setAt("Activity Date", stravaDate(row.startUtc));
  if (row.manual) {
    setAt("Activity Name", "Trainer session"); setAt("Activity Type", "Ride"); setAt("Elapsed Time", 2700); setAt("Distance", "0.00");
    setAt("Commute", "false"); setAt("Elapsed Time", "2700.0", 1); setAt("Moving Time", "2700.0"); setAt("Distance", "0.0", 1);
    setAt("Commute", "0.0", 1); setAt("From Upload", "0.0"); setAt("Activity Description", "Rainy evening, 45 min on the trainer");
    lines.push(cells.map(csvCell).join(","));
    continue;
  }
  const { sess, act, summary: s } = row;
  const localMin = Math.round(((row.startUtc + row.offset * 60e3) % DAY_MS) / 60e3);
  const type = act.sport === "running" ? (act.subSport === "trail" ? "Trail Run" : "Run")
    : act.sport === "hiking" ? "Hike" : act.sport === "cycling" ? "Ride" : "Weight Training";
  const nameType = { Run: "Run", "Trail Run": "Trail Run", Hike: "Hike", Ride: "Ride", "Weight Training": "Weight Training" }[type];
  setAt("Activity Name", sess.kind === "hills" ? "Hill repeats" : `${dayPart(localMin)} ${nameType}`);
  setAt("Activity Type", type);
  if (sess.kind === "long") setAt("Activity Description", "Long run, legs felt good.\nRefilled at the fountain, \"easy\" all the way");
  setAt("Elapsed Time", s.elapsed);
  setAt("Distance", (s.distance / 1000).toFixed(2));
  setAt("Max Heart Rate", s.maxHr.toFixed(1));
  setAt("Relative Effort", Math.round(s.timer / 60 * (s.avgHr - 100) / 40));
  setAt("Commute", "false");
  setAt("Activity Gear", act.sport === "running" ? (act.subSport === "trail" ? P.shoes.trail : P.shoes.road) : "");
  setAt("Filename", row.fname);
  setAt("Athlete Weight", P.body_mass_kg.toFixed(1));
  setAt("Elapsed Time", s.elapsed.toFixed(1), 1);
  setAt("Moving Time", s.timer.toFixed(1));
  setAt("Distance", s.distance.toFixed(1), 1);
  setAt("Max Speed", s.maxSpeed.toFixed(3));
  setAt("Average Speed", s.avgSpeed.toFixed(3));
  setAt("Elevation Gain", s.ascent.toFixed(1));
  setAt("Elevation Loss", s.descent.toFixed(1));
  setAt("Max Heart Rate", s.maxHr.toFixed(1), 1);
  setAt("Average Heart Rate", s.avgHr.toFixed(1));
  setAt("Calories", s.calories.toFixed(1));
  setAt("Relative Effort", Math.round(s.timer / 60 * (s.avgHr - 100) / 40).toFixed(1), 1);
  setAt("Commute", "0.0", 1);
  setAt("From Upload", "1.0");
  setAt("Average Elapsed Speed", s.elapsed > 0 ? (s.distance / s.elapsed).toFixed(3) : "");
  lines.push(cells.map(csvCell).join(","));
}
const profileCsv = "Email Address,First Name,Last Name,Sex,Description,Weight,City,State,Country,Health Consent Status,Date of Health Consent Status\n"
  + `mara.falkner@example.org,${P.name.split(" ")[0]},${P.name.split(" ")[1]},F,Trail and ultra,${P.body_mass_kg}.0,Innsbruck,Tyrol,Austria,,\n`;
const zipTime = { mtime: new Date(ymdToMs(P.last_sunday) + DAY_MS + 9 * 3600e3) };
const zipIn = { "activities.csv": [strToU8(lines.join("\n") + "\n"), zipTime], "profile.csv": [strToU8(profileCsv), zipTime] };
for (const k of Object.keys(zipFiles).sort()) zipIn[k] = zipFiles[k];
fs.writeFileSync(path.join(outDir, "strava", `export_${P.strava_athlete_id}.zip`), zipSync(zipIn, { level: 6 }));
}

// ------------------------------------------------------------------ truth + season summary
const runKinds = (a) => a.sport === "running";
const weeksOut = plan.weeks.map((w) => {
  const acts = activities.filter((a) => a.week === w.index);
  const runs = acts.filter(runKinds);
  const km = runs.reduce((s, a) => s + a.distance_m, 0) / 1000;
  const dp = runs.reduce((s, a) => s + a.ascent_m, 0);
  return {
    index: w.index, monday: msToYmd(w.monday), sunday: msToYmd(w.monday + 6 * DAY_MS), phase: w.phase,
    recovery_week: w.recovery_week,
    planned_run_km: round(w.sessions.filter((s) => !["ride", "hike", "strength"].includes(s.kind)).reduce((s, x) => s + x.km, 0), 1),
    planned_run_dplus_m: Math.round(w.sessions.filter((s) => !["ride", "hike", "strength"].includes(s.kind)).reduce((s, x) => s + x.dplus, 0)),
    run_km: round(km, 1), run_dplus_m: dp, runs: runs.length,
    long_run_km: round(Math.max(0, ...runs.map((a) => a.distance_m)) / 1000, 1),
    run_hours: round(runs.reduce((s, a) => s + a.timer_s, 0) / 3600, 2),
    strength_sessions: acts.filter((a) => a.sport === "training").length,
    other: acts.filter((a) => !runKinds(a) && a.sport !== "training").map((a) => a.kind),
  };
});
const raceAct = activities.find((a) => a.kind === "race");
const truth = {
  description: "Ground truth of the generated sample history (samples/gen/gen.mjs). Weeks are Monday-Sunday in the athlete's local time.",
  generator: { seed: P.seed, profile: P.id },
  athlete: {
    name: P.name, sex: P.sex, body_mass_kg: P.body_mass_kg, hr_max_bpm: P.hr_max_bpm, hr_rest_bpm: P.hr_rest_bpm,
    lthr_bpm: P.lthr_bpm, threshold_pace_s_per_km: P.threshold_pace_s_per_km, threshold_speed_m_s: round(V_T, 3),
    timezone: P.tz_name, device: P.device.product_name, equipment: P.equipment,
  },
  race: {
    date: P.race.date, name: P.race.name, distance_km: P.race.distance_km, dplus_m: P.race.dplus_m,
    effort_km: P.race.distance_km + P.race.dplus_m / 100, week_index: plan.raceIdx,
    recorded: raceAct ? { distance_m: raceAct.distance_m, ascent_m: raceAct.ascent_m, timer_s: raceAct.timer_s, start_utc: raceAct.start_utc } : null,
  },
  phase_rule: `analysis.md section 3.1: weeks to race 0 race, ${plan.taperWeeks === 1 ? "1" : `1-${plan.taperWeeks}`} taper, `
    + `${plan.taperWeeks + 1}-8 late, 9-16 mid, 17-28 early, >28 off-season; after the race R = ${plan.recoveryWeeks} weeks recovery `
    + `(${["< 45", "45-114", "115-209", ">= 210"][plan.recoveryWeeks - 1]} km-effort), then 3 weeks off-season, then early`,
  files: P.fit_only ? {
    layout: "every activity is one loose FIT file in garmin/",
  } : {
    strava_zip: `strava/export_${P.strava_athlete_id}.zip`,
    strava_weeks: `weeks 0-${P.strava_weeks - 1} exist only in the Strava export; the first two runs of week ${P.strava_weeks} are in both the export and garmin/ (same FIT bytes)`,
    duplicates: activities.filter((a) => a.duplicate_files).map((a) => a.files.map((f) => f.path)),
  },
  weeks: weeksOut,
  activities,
};
fs.writeFileSync(path.join(outDir, "truth.json"), JSON.stringify(truth, null, 1) + "\n");

// ------------------------------------------------------------------ self-check
let bad = 0;
for (const f of written) {
  const stream = Stream.fromByteArray(f.bytes);
  const dec = new Decoder(stream);
  const ok = dec.checkIntegrity();
  const { messages, errors } = new Decoder(Stream.fromByteArray(f.bytes)).read();
  const ses = messages.sessionMesgs?.[0];
  if (!ok || errors.length || !ses || messages.recordMesgs.length !== f.act.records.length) {
    bad++;
    console.error(`FIT check failed: ${f.name} integrity=${ok} errors=${errors.map(String).join("; ")}`);
  }
}
if (!quiet) {
  for (const w of weeksOut) {
    const extra = [...(w.strength_sessions ? [`strength x${w.strength_sessions}`] : []), ...w.other].join(", ");
    console.log(`W${String(w.index).padStart(2, "0")} ${w.monday} ${w.phase.padEnd(10)}${w.recovery_week ? "r" : " "} `
      + `run ${w.run_km.toFixed(1).padStart(5)} km  D+ ${String(w.run_dplus_m).padStart(5)} m  runs ${w.runs}  long ${w.long_run_km.toFixed(1).padStart(4)} km`
      + (extra ? `  + ${extra}` : ""));
  }
  if (raceAct) console.log(`race ${P.race.name}: ${(raceAct.distance_m / 1000).toFixed(1)} km, D+ ${raceAct.ascent_m} m, ${(raceAct.timer_s / 3600).toFixed(2)} h, avg HR ${raceAct.avg_hr_bpm}`);
  console.log(`${activities.length} activities, ${written.length} FIT files decoded (${bad} failed)`);
}

// roster.csv: the coach's roster `ultrastrength batch` reads
// (schemas/roster.schema.json), one line per roster profile, from the
// profiles alone. What the coach knows: settings, races, kit and targets.
if (P.id.startsWith("roster/")) {
  const head = "id,name,sex,exports,races,hr_max_bpm,hr_rest_bpm,lthr_bpm,threshold_pace,equipment,days,formats,trainingpeaks_athlete_id,calendar_name";
  const pace = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const rows = Object.values(PROFILES).filter((p) => p.id.startsWith("roster/")).map((p) => [
    p.id.slice("roster/".length), p.name, p.sex, `${p.id.slice("roster/".length)}/garmin`,
    `${p.race.date},${p.race.name},${p.race.distance_km},${p.race.dplus_m}`,
    p.hr_max_bpm, p.hr_rest_bpm, p.lthr_bpm, pace(p.threshold_pace_s_per_km),
    p.coach.equipment, p.coach.days, p.coach.formats, p.coach.trainingpeaks_athlete_id, p.coach.calendar_name,
  ].map(csvCell).join(","));
  fs.writeFileSync(path.join(outRoot, "roster", "roster.csv"), [head, ...rows].join("\n") + "\n");
}
if (bad) process.exit(1);
