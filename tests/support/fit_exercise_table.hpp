// The FIT exercise-name table vendored from Garmin's SDK profile
// (src/fit/exercise_names.csv, made by tests/interop/gen_fit_exercise_names.mjs),
// read for the tests that check exercise pairs and Connect keys against it.
#ifndef ULTRASTRENGTH_TESTS_SUPPORT_FIT_EXERCISE_TABLE_HPP
#define ULTRASTRENGTH_TESTS_SUPPORT_FIT_EXERCISE_TABLE_HPP

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::test {

struct FitExerciseRow {
    std::string category_key; ///< "PLYO"
    std::string exercise_key; ///< "BODY_WEIGHT_JUMP_SQUAT"
    std::string connect_key;  ///< Connect's key: "_" before a leading digit
    std::string name;         ///< in words: "Body Weight Jump Squat"
};

/// (category id, exercise id) -> row; empty when the file cannot be read.
inline std::map<std::pair<int, int>, FitExerciseRow> fit_exercise_table() {
    std::ifstream in(std::string(US_SOURCE_DIR) + "/src/fit/exercise_names.csv");
    std::map<std::pair<int, int>, FitExerciseRow> rows;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue; // the generator's note
        }
        if (header) {
            header = false; // category_id,category_key,exercise_id,exercise_key,connect_key,name
            continue;
        }
        std::vector<std::string> cells;
        std::stringstream fields(line);
        std::string cell;
        while (std::getline(fields, cell, ',')) {
            cells.push_back(cell);
        }
        if (cells.size() != 6) {
            continue;
        }
        rows[{std::stoi(cells[0]), std::stoi(cells[2])}] =
            FitExerciseRow{cells[1], cells[3], cells[4], cells[5]};
    }
    return rows;
}

} // namespace ultrastrength::test

#endif
