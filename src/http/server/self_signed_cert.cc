// write_self_signed_cert: OpenSSL 3 EVP/X509 APIs only; every OpenSSL object is owned by a
// unique_ptr so error paths free it.
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

#include "http/server/tls.h"

namespace baomi::http {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
void bio_free(BIO* b) { BIO_free(b); }
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, bio_free>>;

Error cert_error(std::string what) { return Error::internal("self-signed certificate: " + what); }

Result<void> set_serial(X509* x) {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) return cert_error("no randomness for the serial");
  raw[0] &= 0x7f;  // serials must be positive
  BnPtr bn(BN_bin2bn(raw, sizeof raw, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x)) == nullptr) {
    return cert_error("cannot set the serial number");
  }
  return {};
}

Result<void> add_extensions(X509* x) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  const std::pair<int, const char*> exts[] = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
  };
  for (const auto& [nid, value] : exts) {
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(x, ext.get(), -1) != 1) return cert_error("cannot add extension");
  }
  return {};
}

Result<X509Ptr> make_cert(EVP_PKEY* key, int valid_days) {
  X509Ptr x(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1) return cert_error("X509_new failed");
  BAOMI_TRY(set_serial(x.get()));
  // Back-date an hour so clocks slightly behind still accept it.
  if (X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(x.get()), static_cast<long>(valid_days) * 86400) ==
          nullptr) {
    return cert_error("cannot set the validity period");
  }
  X509_NAME* name = X509_get_subject_name(x.get());
  auto cn = reinterpret_cast<const unsigned char*>("localhost");
  auto org = reinterpret_cast<const unsigned char*>("Baomi self-signed");
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(x.get(), name) != 1 || X509_set_pubkey(x.get(), key) != 1) {
    return cert_error("cannot set subject or public key");
  }
  BAOMI_TRY(add_extensions(x.get()));
  if (X509_sign(x.get(), key, EVP_sha256()) <= 0) return cert_error("signing failed");
  return x;
}

// Writes all of `data` to fd and fsyncs it.
bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return ::fsync(fd) == 0;
}

Result<void> write_file(const std::filesystem::path& path, BIO* bio, int flags, mode_t mode) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  int fd = ::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) {
    return cert_error(errno == EEXIST ? path.string() + " already exists"
                                      : "cannot create " + path.string());
  }
  // fchmod: the umask may only remove bits, but a certificate must be readable (0644).
  bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, data, static_cast<std::size_t>(len));
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return cert_error("cannot write " + path.string());
  }
  return {};
}

}  // namespace

Result<void> write_self_signed_cert(const std::filesystem::path& cert,
                                    const std::filesystem::path& key, int valid_days) {
  if (valid_days <= 0) return cert_error("valid_days must be positive");
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!pkey) return cert_error("EC P-256 key generation failed");
  BAOMI_ASSIGN_OR_RETURN(X509Ptr x, make_cert(pkey.get(), valid_days));

  // The private key is encoded in OpenSSL's secure heap-backed BIO when available.
  BioPtr key_bio(BIO_new(BIO_s_secmem()));
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio ||
      PEM_write_bio_PrivateKey(key_bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), x.get()) != 1) {
    return cert_error("PEM encoding failed");
  }
  BAOMI_TRY(write_file(key, key_bio.get(), O_CREAT | O_EXCL, 0600));
  auto written = write_file(cert, cert_bio.get(), O_CREAT | O_TRUNC, 0644);
  if (!written.ok()) {
    std::error_code ignored;
    std::filesystem::remove(key, ignored);
    return written;
  }
  return {};
}

}  // namespace baomi::http
