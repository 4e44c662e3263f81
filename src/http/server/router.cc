#include "http/server/router.h"

#include <stdexcept>

namespace baomi::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  std::unique_ptr<Node> param;
  std::vector<std::unique_ptr<Route>> routes;  // routes ending at this node, one per method
};

namespace {

bool is_placeholder(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

std::vector<std::string> split_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  std::vector<std::string> segs;
  if (pattern == "/") return segs;
  std::size_t start = 1;
  while (true) {
    std::size_t slash = pattern.find('/', start);
    segs.push_back(pattern.substr(start, slash == std::string::npos ? slash : slash - start));
    if (segs.back().empty()) throw std::invalid_argument("empty segment in route " + pattern);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segs;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  auto route = std::make_unique<Route>();
  Node* node = root_.get();
  for (const std::string& seg : split_pattern(pattern)) {
    if (is_placeholder(seg)) {
      route->param_names.push_back(seg.substr(1, seg.size() - 2));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (seg.find_first_of("{}") != std::string::npos) {
        throw std::invalid_argument("malformed placeholder in route " + pattern);
      }
      auto& child = node->literal[seg];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  for (const auto& r : node->routes) {
    if (r->method == method)
      throw std::invalid_argument("duplicate route " + method + " " + pattern);
  }
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = options;
  node->routes.push_back(std::move(route));
}

namespace {

// Depth-first over the trie, literal before placeholder; calls visit(node, values) for every
// node the whole path reaches until visit returns true.
template <typename Node, typename Visit>
bool walk(const Node& node, const std::vector<std::string>& segs, std::size_t i,
          std::vector<std::string>& values, Visit& visit) {
  if (i == segs.size()) return visit(node, values);
  auto it = node.literal.find(segs[i]);
  if (it != node.literal.end() && walk(*it->second, segs, i + 1, values, visit)) return true;
  if (node.param && !segs[i].empty()) {
    values.push_back(segs[i]);
    if (walk(*node.param, segs, i + 1, values, visit)) return true;
    values.pop_back();
  }
  return false;
}

}  // namespace

RouteMatch Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  RouteMatch result;
  std::vector<std::string> values;
  auto visit = [&](const Node& node, const std::vector<std::string>& vals) {
    for (const auto& r : node.routes) {
      if (r->method != method) continue;
      result.kind = RouteMatch::Kind::kFound;
      result.route = r.get();
      for (std::size_t k = 0; k < vals.size(); ++k) {
        result.params.emplace_back(r->param_names[k], vals[k]);
      }
      return true;
    }
    if (!node.routes.empty() && result.kind == RouteMatch::Kind::kNotFound) {
      result.kind = RouteMatch::Kind::kMethodNotAllowed;
      for (const auto& r : node.routes) {
        result.allow += (result.allow.empty() ? "" : ", ") + r->method;
      }
    }
    return false;
  };
  walk(*root_, segments, 0, values, visit);
  if (result.kind == RouteMatch::Kind::kNotFound && fallback_) return fallback_(method, segments);
  if (result.kind != RouteMatch::Kind::kMethodNotAllowed) result.allow.clear();
  return result;
}

}  // namespace baomi::http
