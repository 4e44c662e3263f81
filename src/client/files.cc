#include "client/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <utility>

#include "client/errors.h"

namespace baomi::client {
namespace {

Error file_error(const std::filesystem::path& path, std::string what) {
  return client_error("local_file",
                      "cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

std::string temp_suffix() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = ".partial-";
  for (int i = 0; i < 12; ++i) out += kHex[rd() & 15];
  return out;
}

}  // namespace

Result<DownloadFile> DownloadFile::create(const std::filesystem::path& path) {
  DownloadFile f;
  f.path_ = path;
  if (path == "-") {
    f.fd_ = 1;
    return f;
  }
  if (std::filesystem::is_directory(path)) {
    errno = EISDIR;
    return file_error(path, "write");
  }
  f.temp_ = path;
  f.temp_ += temp_suffix();
  f.fd_ = ::open(f.temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (f.fd_ < 0) return file_error(path, "create a file beside");
  return f;
}

DownloadFile::DownloadFile(DownloadFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      committed_(other.committed_),
      path_(std::move(other.path_)),
      temp_(std::move(other.temp_)) {}

DownloadFile::~DownloadFile() {
  if (fd_ > 1) ::close(fd_);
  if (!committed_ && !temp_.empty() && fd_ != -1) ::unlink(temp_.c_str());
}

Result<Ok> DownloadFile::write(const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd_, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return file_error(path_, "write");
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return Ok{};
}

Result<Ok> DownloadFile::commit() { return commit(path_); }

Result<Ok> DownloadFile::commit(const std::filesystem::path& final_path) {
  if (fd_ == 1) {
    committed_ = true;
    return Ok{};
  }
  if (::fsync(fd_) != 0) return file_error(path_, "write");
  if (::rename(temp_.c_str(), final_path.c_str()) != 0) {
    return file_error(final_path, "rename a download to");
  }
  committed_ = true;
  path_ = final_path;
  return Ok{};
}

std::string content_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".txt", "text/plain; charset=utf-8"},
      {".text", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".json", "application/json"},
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".xml", "application/xml"},
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".zip", "application/zip"},
      {".tar", "application/x-tar"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".ppt", "application/vnd.ms-powerpoint"},
      {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
  };
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string attachment_name(const std::string& content_disposition) {
  const auto at = content_disposition.find("filename=\"");
  if (at == std::string::npos) return {};
  const auto start = at + 10;
  const auto end = content_disposition.find('"', start);
  if (end == std::string::npos) return {};
  std::string name;
  for (char c : content_disposition.substr(start, end - start)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    name += ok ? c : '_';
  }
  if (name.empty() || name.front() == '.') return {};
  return name;
}

Result<std::string> read_first_line(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return file_error(file, "read");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace baomi::client
