// Opening the files this tool creates (outputs, temporary files, lock and
// state files) so that nothing planted in an output folder can redirect a
// write: a symlink in place of a lock file would otherwise truncate whatever
// it points at, with the rights of the user (or of root, from cron).
#ifndef ULTRASTRENGTH_MODEL_SAFE_FILE_HPP
#define ULTRASTRENGTH_MODEL_SAFE_FILE_HPP

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ultrastrength {

/// A file the tool owns could not be opened; the message names the path.
class UnsafeFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Opens (creating with mode 0644 when missing) a file the tool keeps in
/// place, such as a lock file: read-write, O_NOFOLLOW (a symlink there is
/// refused), O_CLOEXEC (child processes do not inherit it), O_NONBLOCK while
/// opening (a FIFO there cannot hang the run), never truncated, and refused
/// unless it is a regular file. Returns the descriptor; throws UnsafeFileError.
int open_owned_file(const std::string& path);

/// Creates a new temporary file `FOLDER/.NAME.tmp-XXXXXX` for `final_path`
/// exclusively (O_EXCL: never an existing file or symlink), O_CLOEXEC, mode
/// 0644. Sets `temp_path` and returns the descriptor; throws UnsafeFileError.
int create_temporary_for(const std::string& final_path, std::string& temp_path);

/// The bytes of a regular file, read without following a symlink at its
/// name and without blocking on a FIFO; nullopt when it is missing, not a
/// regular file, larger than `max_bytes`, or unreadable.
std::optional<std::string> read_owned_file(const std::string& path, std::size_t max_bytes);

/// Writes `bytes` to `path` atomically: a temporary beside it
/// (create_temporary_for), fsync, rename over `path`, fsync of the folder.
/// A symlink at `path` is replaced, never followed. Throws UnsafeFileError.
void write_file_atomically(const std::string& path, std::string_view bytes);

} // namespace ultrastrength

#endif
