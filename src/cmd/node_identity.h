// NodeIdentity: which server process this is, among those sharing one store (barrier/
// work_holds.h). A `baomi serve` claims the first free slot file DATA/node-<k>.id (an exclusive
// flock that dies with the process) and takes the node id kept in it, so a server restarted
// after a crash on the same directory is the same node again: it recognises the uploads its
// previous run left pending as its own leftovers and clears them at once, instead of waiting
// for the dead run's liveness lease to lapse. A slot copied to another machine (the id file
// names its host) gets a new id there. Where DATA is not writable the node gets a fresh id
// each run (its leftovers then wait for the lease term).
// Move-only; one holder per object.
#pragma once

#include <filesystem>
#include <string>

namespace baomi::cmd {

class NodeIdentity {
 public:
  static NodeIdentity claim(const std::filesystem::path& data);

  NodeIdentity(NodeIdentity&& o) noexcept : fd_(o.fd_), id_(std::move(o.id_)) { o.fd_ = -1; }
  NodeIdentity(const NodeIdentity&) = delete;
  NodeIdentity& operator=(const NodeIdentity&) = delete;
  NodeIdentity& operator=(NodeIdentity&&) = delete;
  ~NodeIdentity();

  const std::string& id() const { return id_; }

 private:
  NodeIdentity(int fd, std::string id) : fd_(fd), id_(std::move(id)) {}
  int fd_;
  std::string id_;
};

}  // namespace baomi::cmd
