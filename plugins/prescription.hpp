// Text shared by the writers: the prescription as people read it (TrainingPeaks
// description, calendar event, Connect notes), file names, stable ids.
#ifndef ULTRASTRENGTH_PLUGINS_PRESCRIPTION_HPP
#define ULTRASTRENGTH_PLUGINS_PRESCRIPTION_HPP

#include "model/plan.hpp"
#include "plugins/writer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::detail {

/// FNV-1a, 64 bit: a stable hash for ids that must not change between runs
/// or machines (std::hash may).
std::uint64_t fnv1a64(std::string_view text) noexcept;

/// Lower-case ASCII letters, digits and single '-', at most `max_chars`:
/// safe on a watch's FAT file system and in URLs and UIDs.
std::string slug(std::string_view text, std::size_t max_chars);

/// The longest prefix of `text` of at most `max_bytes` bytes that does not
/// split a UTF-8 sequence.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

/// `text` shortened to at most `max_bytes` for a small screen: first a
/// trailing "(…)" goes ("Rear-foot-elevated split squat (barbell)" ->
/// "Rear-foot-elevated split squat"), then whole words from the end; a single
/// word too long is cut on a UTF-8 boundary.
std::string short_label(std::string_view text, std::size_t max_bytes);

/// A decimal with at most `max_decimals` digits after the point, trailing
/// zeros removed, '.' whatever the locale: 12 -> "12", 12.5 -> "12.5".
std::string format_decimal(double value, int max_decimals);

/// "12 kg" or "26.5 lb" (pounds rounded to 0.5 lb, a plate step).
std::string format_load(double load_kg, WeightUnit unit);

/// What one set asks for: "6/side", "40 s", "30 s/side".
std::string set_dose(const PlanStep& step);

/// Intensity and load: "12 kg, RIR 2", "75% 1RM", "" when none.
std::string intensity_text(const PlanStep& step, WeightUnit unit);

/// One line per step: "King deadlift – 3 × 6/side @ 12 kg, RIR 2, rest 60 s".
std::string step_line(const PlanStep& step, int sets, WeightUnit unit);

/// "Monday" ... "Sunday".
std::string_view weekday_text(CivilDate date);

/// Block labels A, B, …, Z, AA, …
std::string block_label(std::size_t block_index);

/// A block's heading: its group, and for a heavy block carrying the corrective
/// exercises that they are done in its rests.
std::string block_heading(const PlanBlock& block);

/// The session sheet of one exercise below its step line, one line each
/// (no line ends): load or how to choose it, effort target, tempo, cue, and
/// the easier and harder swap. Empty parts are left out.
std::vector<std::string> step_sheet_lines(const PlanStep& step, WeightUnit unit);

/// Where a step note names the exercise: not at all (the device shows it),
/// first ("Goblet squat: 3 × 8 …") or after the dose (a watch whose title is short).
enum class NoteName : std::uint8_t { none, first, after_dose };

/// A step's sheet cut to `max_bytes` for a watch or app step: the dose and
/// intensity always (cut on a UTF-8 boundary only if it alone is too long),
/// then whole parts in order of use while they fit: the name, the cue, the
/// effort target, the tempo, the load rule, the easier swap.
std::string step_note(const PlanStep& step, WeightUnit unit, std::size_t max_bytes,
                      NoteName name = NoteName::none);

/// The session sheet as plain text ('\n' line ends), the same in plan.txt,
/// TrainingPeaks, the calendar and Connect: weekday and date, phase, duration,
/// the warm-up, every exercise (step line and step_sheet_lines), the
/// cool-down and why in plain words (PlanSession::why; the rule trace of
/// `reasons` when the sheet was not filled). `verbose` adds the rule trace
/// with its section references after the plain words.
std::string session_sheet(const PlanSession& session, WeightUnit unit, bool verbose = false);

/// The full prescription of a session as plain text ('\n' line ends): title,
/// athlete, then session_sheet.
std::string prescription_text(const Plan& plan, const PlanSession& session, WeightUnit unit);

/// One file stem per session, in plan order: "2026-12-01_heavy-corrective",
/// ASCII [a-z0-9_-], at most 32 characters, unique within the plan (a second
/// session with the same date and kind gets "-2").
std::vector<std::string> session_file_stems(const Plan& plan);

/// A file stem for the athlete: slug of the id, else of the name, else "athlete".
std::string athlete_stem(const Plan& plan);

} // namespace ultrastrength::detail

#endif
