#include "plan/prescription.hpp"

#include "plan/prescriptions_json.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace ultrastrength {

namespace {

using nlohmann::json;

class Reader {
public:
    explicit Reader(std::string_view source) : m_source(source) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw std::runtime_error(std::string(m_source) + ": " + where + ": " + what);
    }

    const json& member(const json& object, const char* key, const std::string& where) const {
        const auto it = object.find(key);
        if (it == object.end()) {
            fail(where, std::string("missing \"") + key + "\"");
        }
        return *it;
    }

    double number(const json& object, const char* key, const std::string& where) const {
        const json& value = member(object, key, where);
        if (!value.is_number()) {
            fail(where + "." + key, "must be a number");
        }
        return value.get<double>();
    }

    int integer(const json& object, const char* key, const std::string& where) const {
        const json& value = member(object, key, where);
        if (!value.is_number_integer()) {
            fail(where + "." + key, "must be an integer");
        }
        return value.get<int>();
    }

    Range range(const json& value, const std::string& where) const {
        if (!value.is_array() || value.size() != 2 || !value[0].is_number_integer() ||
            !value[1].is_number_integer() || value[0].get<int>() > value[1].get<int>() ||
            value[0].get<int>() < 0) {
            fail(where, "must be [low, high] with 0 <= low <= high");
        }
        return Range{value[0].get<int>(), value[1].get<int>()};
    }

    std::optional<Range> optional_range(const json& object, const char* key,
                                        const std::string& where) const {
        const auto it = object.find(key);
        if (it == object.end()) {
            return std::nullopt;
        }
        return range(*it, where + "." + key);
    }

    std::vector<SessionGroups> sessions(const json& object, const char* key,
                                        const std::string& where) const {
        std::vector<SessionGroups> out;
        const auto it = object.find(key);
        if (it == object.end()) {
            return out;
        }
        if (!it->is_array()) {
            fail(where + "." + key, "must be an array of group lists");
        }
        for (const auto& session : *it) {
            SessionGroups groups;
            if (!session.is_array() || session.empty()) {
                fail(where + "." + key, "each session must be a non-empty array of groups");
            }
            for (const auto& name : session) {
                const auto group = name.is_string()
                                       ? exercise_group_from_string(name.get<std::string>())
                                       : std::nullopt;
                if (!group) {
                    fail(where + "." + key, "unknown group " + name.dump());
                }
                groups.push_back(*group);
            }
            out.push_back(std::move(groups));
        }
        return out;
    }

    GroupPrescription group(const json& object, const std::string& where) const {
        GroupPrescription g;
        const json& patterns = member(object, "patterns", where);
        if (!patterns.is_array() || patterns.empty()) {
            fail(where + ".patterns", "must be a non-empty array");
        }
        for (const auto& p : patterns) {
            if (!p.is_string()) {
                fail(where + ".patterns", "must hold strings");
            }
            g.patterns.push_back(p.get<std::string>());
        }
        g.sets = range(member(object, "sets", where), where + ".sets");
        if (g.sets.low < 1) {
            fail(where + ".sets", "needs at least one set");
        }
        if (const auto reps = optional_range(object, "reps", where)) {
            g.reps = *reps;
        }
        g.seconds = optional_range(object, "seconds", where);
        g.percent_1rm = optional_range(object, "percent_1rm", where);
        g.rir = optional_range(object, "rir", where);
        g.contacts = optional_range(object, "contacts", where);
        g.rest_s = integer(object, "rest_s", where);
        if (const auto it = object.find("low_amplitude_only"); it != object.end()) {
            g.low_amplitude_only = it->get<bool>();
        }
        if (const auto it = object.find("bodyweight_only"); it != object.end()) {
            g.bodyweight_only = it->get<bool>();
        }
        if (object.contains("max_minutes")) {
            g.max_minutes = integer(object, "max_minutes", where);
        }
        return g;
    }

private:
    std::string_view m_source;
};

} // namespace

Prescriptions parse_prescriptions(std::string_view text, std::string_view source) {
    const Reader reader(source);
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        reader.fail("document", std::string("not valid JSON: ") + error.what());
    }
    Prescriptions rx;
    const json& rules = reader.member(document, "rules", "document");
    PlanRules& r = rx.rules;
    r.last_heavy_days_before_race = reader.integer(rules, "last_heavy_days_before_race", "rules");
    r.last_heavy_days_before_shorter_race =
        reader.integer(rules, "last_heavy_days_before_shorter_race", "rules");
    r.heavy_window_days_before_race =
        reader.integer(rules, "heavy_window_days_before_race", "rules");
    r.heavy_window_days_before_shorter_race =
        reader.integer(rules, "heavy_window_days_before_shorter_race", "rules");
    r.ultra_above_km = reader.number(rules, "ultra_above_km", "rules");
    r.novice_careful_weeks = reader.integer(rules, "novice_careful_weeks", "rules");
    r.max_readable_hard_days = reader.integer(rules, "max_readable_hard_days", "rules");
    r.last_plyometric_days_before_race =
        reader.integer(rules, "last_plyometric_days_before_race", "rules");
    r.last_eccentric_days_before_race =
        reader.integer(rules, "last_eccentric_days_before_race", "rules");
    r.last_session_days_before_race =
        reader.integer(rules, "last_session_days_before_race", "rules");
    r.first_session_days_after_race =
        reader.integer(rules, "first_session_days_after_race", "rules");
    r.min_days_between_sessions = reader.integer(rules, "min_days_between_sessions", "rules");
    r.deload_every_weeks = reader.integer(rules, "deload_every_weeks", "rules");
    r.deload_contacts_factor = reader.number(rules, "deload_contacts_factor", "rules");
    r.technique_weeks = reader.integer(rules, "technique_weeks", "rules");
    r.ramp_ceiling_ctl_per_week = reader.number(rules, "ramp_ceiling_ctl_per_week", "rules");
    r.c_only_max_minutes = reader.integer(rules, "c_only_max_minutes", "rules");
    r.warmup_minutes = reader.integer(rules, "warmup_minutes", "rules");
    r.session_rpe_heavy_or_plyometric =
        reader.number(rules, "session_rpe_heavy_or_plyometric", "rules");
    r.session_rpe_eccentric = reader.number(rules, "session_rpe_eccentric", "rules");
    r.session_rpe_corrective = reader.number(rules, "session_rpe_corrective", "rules");
    r.session_rpe_to_load = reader.number(rules, "session_rpe_to_load", "rules");
    r.low_confidence_factor = reader.number(rules, "low_confidence_factor", "rules");
    r.race_descent_bonus_m = reader.number(rules, "race_descent_bonus_m", "rules");
    r.race_descent_bonus_recent_fraction =
        reader.number(rules, "race_descent_bonus_recent_fraction", "rules");
    if (r.deload_every_weeks < 2 || r.min_days_between_sessions < 1) {
        reader.fail("rules", "deload_every_weeks >= 2 and min_days_between_sessions >= 1");
    }

    const json& dose = reader.member(document, "dose", "document");
    DoseRules& d = rx.dose;
    d.week_min_minutes = reader.integer(dose, "week_min_minutes", "dose");
    d.week_training_fraction = reader.number(dose, "week_training_fraction", "dose");
    d.late_fraction_of_mid = reader.number(dose, "late_fraction_of_mid", "dose");
    d.lighter_week_fraction = reader.number(dose, "lighter_week_fraction", "dose");
    d.recorded_min_sessions = reader.integer(dose, "recorded_min_sessions", "dose");
    d.recorded_load_per_minute_ratio =
        reader.number(dose, "recorded_load_per_minute_ratio", "dose");
    d.recorded_week_load_ratio = reader.number(dose, "recorded_week_load_ratio", "dose");
    d.week_max_contacts = reader.integer(dose, "week_max_contacts", "dose");
    d.contacts_per_set =
        reader.range(reader.member(dose, "contacts_per_set", "dose"), "dose.contacts_per_set");
    d.contacts_rise_per_week = reader.range(reader.member(dose, "contacts_rise_per_week", "dose"),
                                            "dose.contacts_rise_per_week");
    d.bodyweight_heavy_rest_s = reader.integer(dose, "bodyweight_heavy_rest_s", "dose");
    d.flat_descent_m_per_km = reader.number(dose, "flat_descent_m_per_km", "dose");
    d.mountain_descent_m_per_km = reader.number(dose, "mountain_descent_m_per_km", "dose");
    d.flat_eccentric_sets_per_week = reader.integer(dose, "flat_eccentric_sets_per_week", "dose");
    if (d.contacts_per_set.low < 1 || d.lighter_week_fraction <= 0 ||
        d.mountain_descent_m_per_km <= d.flat_descent_m_per_km) {
        reader.fail("dose", "contacts_per_set >= 1, lighter_week_fraction > 0 and "
                            "mountain_descent_m_per_km > flat_descent_m_per_km");
    }

    const json& fresh = reader.member(document, "new_to_strength", "document");
    NewToStrength& n = rx.new_to_strength;
    n.intro_weeks = reader.integer(fresh, "intro_weeks", "new_to_strength");
    n.intro =
        reader.group(reader.member(fresh, "intro", "new_to_strength"), "new_to_strength.intro");
    n.bodyweight_only_days_before_race =
        reader.integer(fresh, "bodyweight_only_days_before_race", "new_to_strength");
    n.experienced_from_sessions =
        reader.integer(fresh, "experienced_from_sessions", "new_to_strength");
    n.familiar_after_weeks = reader.integer(fresh, "familiar_after_weeks", "new_to_strength");
    if (n.intro_weeks < 1 || !n.intro.rir) {
        reader.fail("new_to_strength", "intro_weeks >= 1 and an intro with rir");
    }

    const json& levels = reader.member(document, "levels", "document");
    for (const Level level : {Level::novice, Level::intermediate, Level::advanced}) {
        const std::string where = "levels." + std::string(to_string(level));
        const json& item = reader.member(levels, std::string(to_string(level)).c_str(), "levels");
        LevelRule& rule = rx.levels[static_cast<std::size_t>(level)];
        rule.set_delta = reader.integer(item, "set_delta", where);
        rule.contacts_step_per_week = reader.integer(item, "contacts_step_per_week", where);
        rule.early_contacts_start = reader.integer(item, "early_contacts_start", where);
        const json& variant = reader.member(item, "variant", where);
        rule.harder_variants = variant == "harder";
    }

    const json& phases = reader.member(document, "phases", "document");
    for (std::size_t i = 0; i < rx.phases.size(); ++i) {
        const auto phase = static_cast<Phase>(i);
        const std::string name(to_string(phase));
        const std::string where = "phases." + name;
        const json& item = reader.member(phases, name.c_str(), "phases");
        PhasePrescription& p = rx.phases[i];
        p.sessions = reader.sessions(item, "sessions", where);
        p.sessions_low_volume = reader.sessions(item, "sessions_low_volume", where);
        p.sessions_later_weeks = reader.sessions(item, "sessions_later_weeks", where);
        p.sessions_first_half = reader.sessions(item, "sessions_first_half", where);
        if (item.contains("low_volume_r_below")) {
            p.low_volume_r_below = reader.number(item, "low_volume_r_below", where);
        }
        if (item.contains("max_minutes")) {
            p.max_minutes = reader.integer(item, "max_minutes", where);
        }
        if (item.contains("week_max_minutes")) {
            p.week_max_minutes = reader.integer(item, "week_max_minutes", where);
        }
        for (std::size_t g = 0; g < p.groups.size(); ++g) {
            const std::string group(to_string(static_cast<ExerciseGroup>(g)));
            if (item.contains(group)) {
                p.groups[g] = reader.group(item[group], where + "." + group);
            }
        }
        if (item.contains("heavy_technique")) {
            p.heavy_technique = reader.group(item["heavy_technique"], where + ".heavy_technique");
        }
        for (const auto* list : {&p.sessions, &p.sessions_low_volume, &p.sessions_later_weeks,
                                 &p.sessions_first_half}) {
            for (const auto& session : *list) {
                for (const ExerciseGroup group : session) {
                    if (!p.groups[static_cast<std::size_t>(group)]) {
                        reader.fail(where, "a session uses group \"" +
                                               std::string(to_string(group)) +
                                               "\" that has no prescription");
                    }
                }
            }
        }
    }
    return rx;
}

const Prescriptions& builtin_prescriptions() {
    static const Prescriptions rx = parse_prescriptions(
        std::string_view(reinterpret_cast<const char*>(detail::prescriptions_json),
                         detail::prescriptions_json_size),
        "built-in prescriptions.json");
    return rx;
}

} // namespace ultrastrength
