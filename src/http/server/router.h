// Router: maps (method, path) to a handler. Patterns are literal segments and {name}
// placeholders that match one non-empty segment, e.g. "/api/v1/documents/{id}/content".
// Literal segments win over placeholders. Build it single-threaded at start-up with add();
// afterwards match() is const and safe to call from any number of threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/server/request.h"
#include "http/server/response.h"

namespace baomi::http {

// A handler may block (it runs on the worker pool, never on an I/O thread).
using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // Read the body through Request::body_reader() as it arrives instead of whole into body().
  bool stream_body = false;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  std::vector<std::string> param_names;  // in pattern order
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;                             // when kFound
  std::vector<std::pair<std::string, std::string>> params;  // when kFound
  std::string allow;                                        // when kMethodNotAllowed: "GET, PUT"
  // What `route` belongs to (a fallback's router), held until the request is done.
  std::shared_ptr<const void> keep_alive;
};

// Consulted when no route of the router matches the path (see Router::set_fallback).
using RouteFallback =
    std::function<RouteMatch(std::string_view method, const std::vector<std::string>& segments)>;

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Throws std::invalid_argument on a malformed pattern or a duplicate (method, pattern):
  // both are programming errors found at start-up.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // `segments` are the decoded path segments (Request::path_segments()).
  RouteMatch match(std::string_view method, const std::vector<std::string>& segments) const;

  // Paths this router does not know go to `fallback` (set at start-up, before serving): a
  // sealed server answers them itself, an unsealed one hands them to the API's router of the
  // moment, which the match's keep_alive holds until the request is done.
  void set_fallback(RouteFallback fallback) { fallback_ = std::move(fallback); }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  RouteFallback fallback_;
};

}  // namespace baomi::http
