#include "http/server/tls.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace baomi::http {
namespace {

namespace fs = std::filesystem;

class TlsFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("baomi-tls-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  static mode_t mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
  }
  fs::path dir;
};

TEST_F(TlsFiles, SelfSignedCertHasSafeModesAndLocalhostSans) {
  mode_t old = ::umask(0);  // even with a permissive umask the key must be 0600
  auto r = write_self_signed_cert(dir / "cert.pem", dir / "key.pem", 30);
  ::umask(old);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(mode_of(dir / "key.pem"), 0600u);
  EXPECT_EQ(mode_of(dir / "cert.pem"), 0644u);

  FILE* f = std::fopen((dir / "cert.pem").c_str(), "r");
  ASSERT_NE(f, nullptr);
  X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(X509_check_host(x, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(x, "::1", 0), 1);
  EXPECT_NE(X509_check_host(x, "example.com", 0, 0, nullptr), 1);
  EVP_PKEY* pub = X509_get0_pubkey(x);
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(pub), 256);
  EXPECT_EQ(X509_verify(x, pub), 1);
  X509_free(x);
}

TEST_F(TlsFiles, NeverOverwritesAnExistingKey) {
  ASSERT_TRUE(write_self_signed_cert(dir / "cert.pem", dir / "key.pem").ok());
  auto size_before = fs::file_size(dir / "key.pem");
  auto again = write_self_signed_cert(dir / "cert2.pem", dir / "key.pem");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(fs::file_size(dir / "key.pem"), size_before);
  EXPECT_FALSE(fs::exists(dir / "cert2.pem"));
}

TEST_F(TlsFiles, ContextIsTls12PlusServerPreferenceNoCompressionNoRenegotiation) {
  ASSERT_TRUE(write_self_signed_cert(dir / "cert.pem", dir / "key.pem").ok());
  auto ctx = make_server_tls_context(dir / "cert.pem", dir / "key.pem");
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  SSL_CTX* raw = (*ctx)->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(raw), TLS1_2_VERSION);
  auto opts = SSL_CTX_get_options(raw);
  EXPECT_TRUE(opts & SSL_OP_CIPHER_SERVER_PREFERENCE);
  EXPECT_TRUE(opts & SSL_OP_NO_COMPRESSION);
  EXPECT_TRUE(opts & SSL_OP_NO_RENEGOTIATION);
  // Every TLS 1.2 suite offered is AEAD.
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(raw);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    EXPECT_TRUE(SSL_CIPHER_is_aead(c)) << SSL_CIPHER_get_name(c);
  }
}

TEST_F(TlsFiles, ContextErrorsNameTheProblem) {
  auto missing = make_server_tls_context(dir / "nope.pem", dir / "nokey.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nokey.pem"), std::string::npos);

  ASSERT_TRUE(write_self_signed_cert(dir / "cert.pem", dir / "key.pem").ok());
  fs::permissions(dir / "key.pem", fs::perms::group_read, fs::perm_options::add);
  auto loose = make_server_tls_context(dir / "cert.pem", dir / "key.pem");
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(loose.error().message.find("group or others"), std::string::npos);

  fs::permissions(dir / "key.pem", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  ASSERT_TRUE(write_self_signed_cert(dir / "other-cert.pem", dir / "other-key.pem").ok());
  auto mismatch = make_server_tls_context(dir / "other-cert.pem", dir / "key.pem");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("does not match"), std::string::npos);
}

}  // namespace
}  // namespace baomi::http
