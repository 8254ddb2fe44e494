#include "plugins/garmin_fit/garmin_fit_writer.hpp"

#include "plugins/garmin_fit/fit_encoder.hpp"
#include "plugins/prescription.hpp"
#include "plugins/workout_names.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength {

namespace {

// Profile 21.217 numbers (output-formats.md §1.2, §1.3).
namespace mesg {
constexpr std::uint16_t file_id = 0;
constexpr std::uint16_t workout = 26;
constexpr std::uint16_t workout_step = 27;
constexpr std::uint16_t exercise_title = 264;
} // namespace mesg
constexpr std::uint8_t file_type_workout = 5;
constexpr std::uint16_t manufacturer_development = 255;
constexpr std::uint8_t sport_training = 10;
constexpr std::uint8_t sub_sport_strength_training = 20;
constexpr std::uint8_t duration_time = 0;
constexpr std::uint8_t duration_open = 5;
constexpr std::uint8_t duration_repeat_until_steps_cmplt = 6;
constexpr std::uint8_t duration_reps = 29;
constexpr std::uint8_t target_open = 2;
constexpr std::uint8_t intensity_active = 0;
constexpr std::uint8_t intensity_rest = 1;
constexpr std::uint16_t unit_kilogram = 1;
constexpr std::uint16_t unit_pound = 2;
// String widths in bytes including the NUL (§1.1: fixed widths, one definition per message type).
// The workout name: 16, the width Garmin's C SDK gives wkt_name (workout_names.hpp).
constexpr std::uint8_t workout_name_width = detail::watch_name_max_bytes + 1;
constexpr std::uint8_t name_width = 32;
constexpr std::uint8_t notes_width = 128;
/// exercise_weight is uint16 with scale 100 (kg); 0xFFFF means "not set".
constexpr double max_weight_raw = 65534;

enum class StepKind : std::uint8_t { exercise, rest, repeat };

struct FitStep {
    StepKind kind = StepKind::exercise;
    const PlanStep* source = nullptr; ///< exercise steps
    std::uint32_t duration_value = 0; ///< rest ms, repeat: first index
    std::uint32_t repeat_count = 0;
};

/// Lays the session out as FIT steps. `inner_rests` keeps rest steps between
/// exercises of a multi-exercise block; `max_exercises` cuts the session after
/// that many exercise steps.
std::vector<FitStep> lay_out(const PlanSession& session, bool inner_rests,
                             std::size_t max_exercises) {
    std::vector<FitStep> steps;
    std::size_t exercises = 0;
    for (const auto& block : session.blocks) {
        if (exercises >= max_exercises) {
            break;
        }
        const auto first = static_cast<std::uint32_t>(steps.size());
        for (std::size_t i = 0; i < block.steps.size() && exercises < max_exercises; ++i) {
            const auto& step = block.steps[i];
            steps.push_back({StepKind::exercise, &step, 0, 0});
            ++exercises;
            const bool last = i + 1 == block.steps.size();
            if (step.rest_s > 0 && (inner_rests || last || exercises == max_exercises)) {
                steps.push_back(
                    {StepKind::rest, nullptr, static_cast<std::uint32_t>(step.rest_s) * 1000U, 0});
            }
        }
        if (block.sets > 1 && steps.size() > first) {
            steps.push_back(
                {StepKind::repeat, nullptr, first, static_cast<std::uint32_t>(block.sets)});
        }
    }
    return steps;
}

std::size_t exercise_count(const PlanSession& session) {
    std::size_t n = 0;
    for (const auto& block : session.blocks) {
        n += block.steps.size();
    }
    return n;
}

/// The exercise pair a step is written with, and our title for it when Garmin
/// has no such exercise.
struct FitPair {
    std::uint16_t category = 0;
    std::uint16_t name = 0;
    std::string title; ///< empty: Garmin's own exercise (its name is ours)
};

/// Pairs for the exercises of one workout, so that a watch never shows one
/// exercise under another's name. An exercise Garmin has (no title of its own)
/// keeps its pair. Any other gets its category and a name number no other
/// exercise of the workout uses, with our title as the pair's exercise_title:
/// the watch shows the title of a pair, and the SDK keeps one title per pair,
/// so a pair shared by two exercises would show one of them under the other's
/// title (docs/garmin-exercises.md). The nearest Garmin entry from the library
/// is tried first, then the numbers below it, then those above.
std::map<const PlanStep*, FitPair> assign_pairs(const std::vector<const PlanStep*>& steps) {
    std::map<const PlanStep*, FitPair> out;
    std::map<std::pair<std::uint16_t, std::uint16_t>, std::string> owner; // pair -> exercise
    auto identity = [](const PlanStep& s) { return s.exercise_id + '\n' + s.name; };
    std::vector<const PlanStep*> titled;
    for (const PlanStep* step : steps) {
        if (!step->fit_category || !step->fit_name) {
            continue;
        }
        const std::pair key{*step->fit_category, *step->fit_name};
        if (!step->fit_title.empty()) {
            titled.push_back(step);
            continue;
        }
        const auto [it, fresh] = owner.emplace(key, identity(*step));
        if (fresh || it->second == identity(*step)) {
            out[step] = {key.first, key.second, {}};
        } else {
            titled.push_back(step); // two library entries on one exact pair: keep both apart
        }
    }
    std::map<std::string, FitPair> by_exercise;
    for (const PlanStep* step : titled) {
        const auto id = identity(*step);
        if (const auto done = by_exercise.find(id); done != by_exercise.end()) {
            out[step] = done->second; // the same exercise again in this workout
            continue;
        }
        const std::uint16_t category = *step->fit_category;
        const std::uint16_t wanted = *step->fit_name;
        std::optional<std::uint16_t> chosen;
        for (int n = wanted; n >= 0 && !chosen; --n) {
            if (owner.count({category, static_cast<std::uint16_t>(n)}) == 0) {
                chosen = static_cast<std::uint16_t>(n);
            }
        }
        // 0xFFFF is uint16's "not set"; 0xFFFE is the profile's "unknown".
        for (int n = wanted + 1; n < 0xFFFE && !chosen; ++n) {
            if (owner.count({category, static_cast<std::uint16_t>(n)}) == 0) {
                chosen = static_cast<std::uint16_t>(n);
            }
        }
        owner.emplace(std::pair{category, *chosen}, id);
        FitPair pair{category, *chosen, step->fit_title.empty() ? step->name : step->fit_title};
        by_exercise.emplace(id, pair);
        out[step] = std::move(pair);
    }
    return out;
}

std::string step_notes(const PlanStep& step, WeightUnit unit) {
    const auto& shown = step.fit_title.empty() ? step.name : step.fit_title;
    const bool name = shown != step.name || shown.size() >= name_width;
    return detail::step_note(step, unit, notes_width - 1,
                             name ? detail::NoteName::after_dose : detail::NoteName::none);
}

std::vector<fit::Field> exercise_fields(std::uint16_t index, const PlanStep& step,
                                        const FitPair* pair, WeightUnit unit,
                                        std::vector<std::string>& problems) {
    using fit::Field;
    std::vector<Field> fields;
    fields.push_back(Field::u16(254, index));
    fields.push_back(Field::string(
        0,
        detail::short_label(step.fit_title.empty() ? step.name : step.fit_title, name_width - 1U),
        name_width));
    if (step.reps) {
        // Reps done on each side count both sides, as the watch counts them and
        // as a timed step on each side runs for both (the notes say "/side").
        fields.push_back(Field::enumeration(1, duration_reps));
        fields.push_back(Field::u32(2, static_cast<std::uint32_t>(std::max(*step.reps, 0)) *
                                           (step.per_side ? 2U : 1U)));
    } else if (step.seconds) {
        // A timed exercise done on each side runs for both sides in one step.
        const auto total_s =
            static_cast<std::uint32_t>(std::max(*step.seconds, 0)) * (step.per_side ? 2U : 1U);
        fields.push_back(Field::enumeration(1, duration_time));
        fields.push_back(Field::u32(2, total_s * 1000U));
    } else {
        fields.push_back(Field::enumeration(1, duration_open));
    }
    fields.push_back(Field::enumeration(3, target_open));
    fields.push_back(Field::enumeration(7, intensity_active));
    if (pair != nullptr) {
        fields.push_back(Field::u16(10, pair->category));
        fields.push_back(Field::u16(11, pair->name));
    } else if (step.fit_category) {
        // A category without a name is still worth sending: the watch groups
        // and counts the exercise by category.
        fields.push_back(Field::u16(10, *step.fit_category));
    }
    if (step.load_kg && *step.load_kg > 0) {
        const double raw = std::round(*step.load_kg * 100.0);
        if (raw <= max_weight_raw) {
            fields.push_back(Field::u16(12, static_cast<std::uint16_t>(raw)));
            fields.push_back(
                Field::u16(13, unit == WeightUnit::pound ? unit_pound : unit_kilogram));
        } else {
            problems.push_back(step.name + ": load " + detail::format_decimal(*step.load_kg, 2) +
                               " kg is above the FIT limit of 655.34 kg; left in the notes only");
        }
    }
    fields.push_back(Field::string(8, step_notes(step, unit), notes_width));
    return fields;
}

std::vector<std::uint8_t> encode_session(const Plan& plan, const PlanSession& session,
                                         const std::string& name, const WriteOptions& options,
                                         std::vector<std::string>& problems) {
    using fit::Field;
    // Fit within the step limit: first drop the rests between the exercises of
    // a round (the round's last rest stays), then cut exercises from the end.
    const std::size_t all = exercise_count(session);
    auto steps = lay_out(session, true, all);
    if (steps.size() > fit_max_workout_steps) {
        steps = lay_out(session, false, all);
        problems.push_back("rests between the exercises of a round were left out to stay within " +
                           std::to_string(fit_max_workout_steps) +
                           " steps; rest after each round as planned");
        std::size_t kept = all;
        while (steps.size() > fit_max_workout_steps && kept > 0) {
            steps = lay_out(session, false, --kept);
        }
        if (kept < all) {
            std::string dropped;
            std::size_t n = 0;
            for (const auto& block : session.blocks) {
                for (const auto& step : block.steps) {
                    if (n++ >= kept) {
                        dropped += (dropped.empty() ? "" : ", ") + step.name;
                    }
                }
            }
            problems.push_back("left out to stay within " + std::to_string(fit_max_workout_steps) +
                               " steps (see the calendar or TrainingPeaks text): " + dropped);
        }
    }

    fit::Encoder encoder;
    const std::int64_t created_unix = days_from_civil(session.date) * 86400;
    const auto time_created = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(created_unix - fit::fit_epoch_offset_s, 0, 0xFFFFFFFE));
    // (type, manufacturer, product, serial) must be unique per workout file
    // (Garmin, "Workout File Type"): hash of athlete and session id, never 0
    // (0 is uint32z's "not set").
    const std::uint64_t hash = detail::fnv1a64(plan.athlete_id + '\n' + session.id);
    auto serial = static_cast<std::uint32_t>(hash ^ (hash >> 32));
    if (serial == 0) {
        serial = 1;
    }
    encoder.add(mesg::file_id,
                {Field::enumeration(0, file_type_workout), Field::u16(1, manufacturer_development),
                 Field::u16(2, 0), Field::u32z(3, serial), Field::u32(4, time_created)});

    std::string description = std::string(to_string(session.phase)) + " phase, " + session.kind;
    for (const auto& problem : problems) {
        description += ". " + problem;
    }
    encoder.add(mesg::workout, {Field::enumeration(4, sport_training),
                                Field::enumeration(11, sub_sport_strength_training),
                                Field::u16(6, static_cast<std::uint16_t>(steps.size())),
                                Field::string(8, name, workout_name_width),
                                Field::string(17, description, notes_width)});

    std::vector<const PlanStep*> exercises;
    for (const auto& step : steps) {
        if (step.kind == StepKind::exercise) {
            exercises.push_back(step.source);
        }
    }
    const auto pairs = assign_pairs(exercises);
    std::vector<FitPair> titles;
    std::set<std::pair<std::uint16_t, std::uint16_t>> titled;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto index = static_cast<std::uint16_t>(i);
        const auto& step = steps[i];
        switch (step.kind) {
        case StepKind::exercise: {
            const auto& source = *step.source;
            const auto pair = pairs.find(&source);
            const FitPair* assigned = pair == pairs.end() ? nullptr : &pair->second;
            encoder.add(mesg::workout_step,
                        exercise_fields(index, source, assigned, options.weight_unit, problems));
            if (assigned != nullptr && !assigned->title.empty() &&
                titled.insert({assigned->category, assigned->name}).second) {
                titles.push_back(*assigned);
            }
            break;
        }
        case StepKind::rest:
            encoder.add(mesg::workout_step,
                        {Field::u16(254, index), Field::enumeration(1, duration_time),
                         Field::u32(2, step.duration_value), Field::enumeration(3, target_open),
                         Field::enumeration(7, intensity_rest)});
            break;
        case StepKind::repeat:
            encoder.add(mesg::workout_step,
                        {Field::u16(254, index),
                         Field::enumeration(1, duration_repeat_until_steps_cmplt),
                         Field::u32(2, step.duration_value), Field::enumeration(3, target_open),
                         Field::u32(4, step.repeat_count)});
            break;
        }
    }
    // Display titles for exercises Garmin has no exact entry for (§1.2); after
    // the steps, where Garmin's SDK decodes them (§1.7).
    for (std::size_t i = 0; i < titles.size(); ++i) {
        encoder.add(
            mesg::exercise_title,
            {Field::u16(254, static_cast<std::uint16_t>(i)), Field::u16(0, titles[i].category),
             Field::u16(1, titles[i].name),
             Field::string(2, detail::short_label(titles[i].title, name_width - 1U), name_width)});
    }
    return encoder.finish();
}

class GarminFitWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "garmin-fit"; }
    std::string_view description() const noexcept override {
        return "Garmin FIT workout per session (strength steps, sets, reps, weight, rest); "
               "copy into GARMIN/NewFiles on the watch";
    }
    std::string_view extension() const noexcept override { return ".fit"; }

    void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const override {
        const auto stems = detail::session_file_stems(plan);
        const auto names = detail::workout_names(plan);
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            std::vector<std::string> problems;
            const auto bytes =
                encode_session(plan, plan.sessions[i], names[i].watch, options, problems);
            const std::string file = "garmin-fit/" + stems[i] + ".fit";
            sink.put(file,
                     std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
            for (const auto& problem : problems) {
                sink.note(file, problem);
            }
        }
    }
};

} // namespace

std::unique_ptr<Writer> make_garmin_fit_writer() {
    return std::make_unique<GarminFitWriter>();
}

} // namespace ultrastrength
