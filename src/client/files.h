// Local files of the `baomi` client: downloads that appear only when complete, and the content
// type an upload is sent with. Not thread-safe.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace baomi::client {

// Writes a download to a temporary file beside `path` (mode 0600: the bytes may be
// classified) and renames it over `path` on commit(), so an interrupted or truncated transfer
// never leaves a file that looks complete. "-" writes to standard output instead. The
// temporary file is removed when the sink is destroyed uncommitted.
class DownloadFile {
 public:
  static Result<DownloadFile> create(const std::filesystem::path& path);
  DownloadFile(DownloadFile&& other) noexcept;
  DownloadFile& operator=(DownloadFile&&) = delete;
  ~DownloadFile();

  Result<Ok> write(const char* data, std::size_t n);
  Result<Ok> commit();  // fsync and rename over path() (stdout: nothing to do)
  Result<Ok> commit(const std::filesystem::path& final_path);  // ... over final_path instead
  bool is_stdout() const { return fd_ == 1; }
  const std::filesystem::path& path() const { return path_; }

 private:
  DownloadFile() = default;
  int fd_ = -1;
  bool committed_ = false;
  std::filesystem::path path_, temp_;
};

// The content type for a file name's extension (.txt, .csv, .pdf, .md, .json, .html, .png,
// .jpg, .docx, .xlsx, ...), text types with charset=utf-8; application/octet-stream otherwise.
std::string content_type_for(const std::filesystem::path& file);

// A file name taken from a Content-Disposition header, reduced to [A-Za-z0-9._-] and never a
// path; "" when there is none.
std::string attachment_name(const std::string& content_disposition);

// Reads the first line of a small file (a password file): without its line ending.
Result<std::string> read_first_line(const std::filesystem::path& file);

}  // namespace baomi::client
