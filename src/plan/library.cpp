#include "plan/library.hpp"

#include "plan/exercises_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ultrastrength {

namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view source, std::string_view entry, std::string_view what) {
    std::string message(source);
    if (!entry.empty()) {
        message += ": exercise \"";
        message += entry;
        message += '"';
    }
    message += ": ";
    message += what;
    throw LibraryError(message);
}

std::string get_string(const json& item, const char* key, std::string_view source,
                       std::string_view entry, bool required = true) {
    const auto it = item.find(key);
    if (it == item.end() || it->is_null()) {
        if (required) {
            fail(source, entry, std::string("missing \"") + key + "\"");
        }
        return {};
    }
    if (!it->is_string()) {
        fail(source, entry, std::string("\"") + key + "\" must be a string");
    }
    return it->get<std::string>();
}

bool valid_id(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool valid_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::uint16_t get_u16(const json& object, const char* key, std::string_view source,
                      std::string_view entry) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) {
        fail(source, entry, std::string("\"fit.") + key + "\" must be an integer");
    }
    const auto value = it->get<std::int64_t>();
    // FIT exercise_category / exercise_name are uint16; 65535 is the invalid value.
    if (value < 0 || value >= 65535) {
        fail(source, entry, std::string("\"fit.") + key + "\" out of range 0-65534");
    }
    return static_cast<std::uint16_t>(value);
}

Exercise parse_exercise(const json& item, std::string_view source, std::size_t index) {
    const std::string position = "entry " + std::to_string(index);
    if (!item.is_object()) {
        fail(source, position, "must be an object");
    }
    Exercise e;
    e.id = get_string(item, "id", source, position);
    if (!valid_id(e.id)) {
        fail(source, position, "\"id\" must be lower-case letters, digits and '_'");
    }
    const std::string_view entry = e.id;
    e.name = get_string(item, "name", source, entry);
    const auto group = exercise_group_from_string(get_string(item, "group", source, entry));
    if (!group) {
        fail(source, entry, "\"group\" must be heavy, plyometric, corrective or eccentric");
    }
    e.group = *group;
    e.pattern = get_string(item, "pattern", source, entry);
    if (e.pattern.empty()) {
        fail(source, entry, "\"pattern\" is empty");
    }
    const auto equipment = item.find("equipment");
    if (equipment == item.end() || !equipment->is_array()) {
        fail(source, entry, "\"equipment\" must be an array of names");
    }
    for (const auto& name : *equipment) {
        if (!name.is_string() || !is_equipment_name(name.get<std::string>())) {
            fail(source, entry,
                 "unknown equipment " + name.dump() + " (none, band, dumbbell, barbell, box, gym)");
        }
        if (name.get<std::string>() != "none") {
            e.equipment.push_back(name.get<std::string>());
        }
    }
    const auto unilateral = item.find("unilateral");
    if (unilateral == item.end() || !unilateral->is_boolean()) {
        fail(source, entry, "\"unilateral\" must be true or false");
    }
    e.unilateral = unilateral->get<bool>();
    const std::string mode = get_string(item, "mode", source, entry);
    if (mode != "reps" && mode != "time") {
        fail(source, entry, "\"mode\" must be \"reps\" or \"time\"");
    }
    e.timed = mode == "time";
    const auto level = level_from_string(get_string(item, "level", source, entry));
    if (!level) {
        fail(source, entry, "\"level\" must be novice, intermediate or advanced");
    }
    e.level = *level;
    if (const auto it = item.find("low_amplitude"); it != item.end()) {
        if (!it->is_boolean()) {
            fail(source, entry, "\"low_amplitude\" must be true or false");
        }
        e.low_amplitude = it->get<bool>();
    }
    if (const auto it = item.find("contacts_per_rep"); it != item.end()) {
        if (!it->is_number_integer() || it->get<int>() < 1 || it->get<int>() > 10) {
            fail(source, entry, "\"contacts_per_rep\" must be an integer 1-10");
        }
        e.contacts_per_rep = it->get<int>();
    }
    if (const auto it = item.find("reps"); it != item.end()) {
        if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_integer() ||
            !(*it)[1].is_number_integer() || (*it)[0].get<int>() < 1 ||
            (*it)[1].get<int>() < (*it)[0].get<int>() || (*it)[1].get<int>() > 50) {
            fail(source, entry, "\"reps\" must be [low, high] with 1 <= low <= high <= 50");
        }
        e.min_reps = (*it)[0].get<int>();
        e.max_reps = (*it)[1].get<int>();
    }
    if (const auto it = item.find("tempo"); it != item.end()) {
        if (!it->is_string()) {
            fail(source, entry, "\"tempo\" must be a string");
        }
        e.tempo = it->get<std::string>();
    }
    if (const auto it = item.find("isometric"); it != item.end()) {
        if (!it->is_boolean()) {
            fail(source, entry, "\"isometric\" must be true or false");
        }
        e.isometric = it->get<bool>();
    }
    const auto cues = item.find("cues");
    if (cues == item.end() || !cues->is_array() || cues->empty()) {
        fail(source, entry, "\"cues\" must be a non-empty array of strings");
    }
    for (const auto& cue : *cues) {
        if (!cue.is_string()) {
            fail(source, entry, "\"cues\" must hold strings");
        }
        e.cues.push_back(cue.get<std::string>());
    }
    e.easier = get_string(item, "easier", source, entry, false);
    e.harder = get_string(item, "harder", source, entry, false);

    const auto fit = item.find("fit");
    if (fit == item.end() || !fit->is_object()) {
        fail(source, entry, "missing \"fit\" object");
    }
    e.fit_category = get_u16(*fit, "category", source, entry);
    e.fit_name = get_u16(*fit, "name", source, entry);
    e.fit_title = get_string(*fit, "title", source, entry, false);
    e.fit_match = get_string(*fit, "match", source, entry);
    if (e.fit_match != "exact" && e.fit_match != "close" && e.fit_match != "none") {
        fail(source, entry, "\"fit.match\" must be exact, close or none");
    }
    // output-formats.md §1.5: without an exact Garmin exercise the step carries our title.
    if (e.fit_match != "exact" && e.fit_title.empty()) {
        fail(source, entry, "\"fit.title\" is required when \"fit.match\" is not exact");
    }
    const auto connect = item.find("connect");
    if (connect == item.end() || !connect->is_object()) {
        fail(source, entry, "missing \"connect\" object");
    }
    e.connect_category = get_string(*connect, "category", source, entry);
    e.connect_name = get_string(*connect, "name", source, entry);
    // An empty name is Connect's category-only step (docs/garmin-exercises.md).
    if (!valid_key(e.connect_category) || (!e.connect_name.empty() && !valid_key(e.connect_name))) {
        fail(source, entry, "Connect keys must be upper-case letters, digits and '_'");
    }
    if (e.fit_match == "exact" && e.connect_name.empty()) {
        fail(source, entry, "\"connect.name\" is required when \"fit.match\" is exact");
    }
    return e;
}

} // namespace

const Exercise* ExerciseLibrary::find(std::string_view id) const noexcept {
    for (const auto& e : m_exercises) {
        if (e.id == id) {
            return &e;
        }
    }
    return nullptr;
}

void ExerciseLibrary::upsert(Exercise exercise) {
    for (auto& e : m_exercises) {
        if (e.id == exercise.id) {
            e = std::move(exercise);
            return;
        }
    }
    m_exercises.push_back(std::move(exercise));
}

ExerciseLibrary parse_library(std::string_view text, std::string_view source,
                              const ExerciseLibrary& base) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        fail(source, {}, std::string("not valid JSON: ") + error.what());
    }
    if (!document.is_object()) {
        fail(source, {}, "top level must be an object");
    }
    const auto format = document.find("format");
    if (format == document.end() || *format != "ultrastrength-exercise-library") {
        fail(source, {}, "\"format\" must be \"ultrastrength-exercise-library\"");
    }
    const auto version = document.find("version");
    if (version == document.end() || *version != 1) {
        fail(source, {}, "\"version\" must be 1");
    }
    const auto items = document.find("exercises");
    if (items == document.end() || !items->is_array()) {
        fail(source, {}, "\"exercises\" must be an array");
    }
    ExerciseLibrary merged = base;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
        Exercise e = parse_exercise((*items)[i], source, i);
        if (!seen.insert(e.id).second) {
            fail(source, e.id, "id appears twice in this file");
        }
        merged.upsert(std::move(e));
    }
    for (const auto& e : merged.exercises()) {
        for (const std::string* variant : {&e.easier, &e.harder}) {
            if (!variant->empty() && merged.find(*variant) == nullptr) {
                fail(source, e.id, "variant \"" + *variant + "\" is not in the library");
            }
        }
    }
    return merged;
}

ExerciseLibrary load_library(const std::filesystem::path& path, const ExerciseLibrary& base) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(path.string(), {}, "cannot open the file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_library(text.str(), path.string(), base);
}

const ExerciseLibrary& builtin_library() {
    static const ExerciseLibrary library =
        parse_library(std::string_view(reinterpret_cast<const char*>(detail::exercises_json),
                                       detail::exercises_json_size),
                      "built-in exercises.json", ExerciseLibrary{});
    return library;
}

bool has_equipment(const Exercise& exercise, const std::set<std::string>& equipment) {
    return std::all_of(exercise.equipment.begin(), exercise.equipment.end(),
                       [&](const std::string& item) { return equipment.count(item) != 0; });
}

} // namespace ultrastrength
