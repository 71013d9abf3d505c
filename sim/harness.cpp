// rram-gen Verilator harness: streams input pixels through the generated top
// (class Vdut, built with --prefix Vdut) and logs every handshake of the
// inter-layer streams (taps) and of the result port, for `rram-gen sim` to
// compare with the golden model.
//
// Arguments (plusargs):
//   +vectors=FILE   one input pixel per line, hex
//   +log=FILE       output log (see below)
//   +stall_in=P     probability (0..1) that the source idles a cycle
//   +stall_out=P    probability that the sink is not ready a cycle
//   +seed=S         stall pattern seed
//   +taps=0|1       log the inter-layer streams (default 1) and run until all their beats are logged
//   +max_cycles=N   give up after N cycles
// Log lines: "T <tap> <hex>" per tap beat, "R <cycle> <class> <values>" per result beat
// (hex), and a final "E <cycles> <results>".
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vdut.h"
#include "Vdut___024root.h"
#include "verilated.h"

namespace {

// Hex text of the low `width` bits of a Verilator value, most significant digit first.
std::string to_hex(const uint32_t* words, int width) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (int nib = (width + 3) / 4 - 1; nib >= 0; --nib) {
    const int bit = nib * 4;
    s += digits[(words[bit / 32] >> (bit % 32)) & 0xf];
  }
  return s;
}
std::string hex_of(uint64_t v, int width) {
  const uint32_t w[2] = {static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
  return to_hex(w, width);
}
template <std::size_t N>
std::string hex_of(const VlWide<N>& v, int width) { return to_hex(v.data(), width); }

// Parse hex text into little-endian 32-bit words.
void parse_hex(const std::string& text, std::vector<uint32_t>& words) {
  std::fill(words.begin(), words.end(), 0u);
  int bit = 0;
  for (auto it = text.rbegin(); it != text.rend(); ++it, bit += 4) {
    const char c = *it;
    const uint32_t d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (bit / 32 < static_cast<int>(words.size())) words[bit / 32] |= d << (bit % 32);
  }
}
template <typename T>
void assign_words(T& port, const std::vector<uint32_t>& w) {
  port = static_cast<T>(w[0] | (w.size() > 1 ? static_cast<uint64_t>(w[1]) << 32 : 0));
}
template <std::size_t N>
void assign_words(VlWide<N>& port, const std::vector<uint32_t>& w) {
  for (std::size_t i = 0; i < N; ++i) port[i] = i < w.size() ? w[i] : 0;
}

double plus_double(const char* name, double dflt) {
  const char* v = Verilated::commandArgsPlusMatch(name);
  if (!v || !*v) return dflt;
  return std::atof(std::strchr(v, '=') + 1);
}
std::string plus_string(const char* name) {
  const char* v = Verilated::commandArgsPlusMatch(name);
  if (!v || !*v) return "";
  return std::string(std::strchr(v, '=') + 1);
}

}  // namespace

#include "taps.h"  // generated: RG_* widths and rg_log_taps()

int main(int argc, char** argv) {
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  auto dut = std::make_unique<Vdut>(ctx.get());

  const std::string vectors_path = plus_string("vectors=");
  const std::string log_path = plus_string("log=");
  const double stall_in = plus_double("stall_in=", 0.0);
  const double stall_out = plus_double("stall_out=", 0.0);
  const bool taps = plus_double("taps=", 1.0) != 0.0;
  const uint64_t max_cycles = static_cast<uint64_t>(plus_double("max_cycles=", 1e12));
  std::mt19937_64 rng(static_cast<uint64_t>(plus_double("seed=", 1.0)));
  std::uniform_real_distribution<double> uni(0.0, 1.0);

  FILE* vf = std::fopen(vectors_path.c_str(), "r");
  FILE* log = std::fopen(log_path.c_str(), "w");
  if (!vf || !log) {
    std::fprintf(stderr, "harness: cannot open %s or %s\n", vectors_path.c_str(), log_path.c_str());
    return 2;
  }
  std::vector<std::vector<uint32_t>> pixels;
  char line[1 << 16];
  const std::size_t in_words = (RG_IN_BITS + 31) / 32;
  while (std::fgets(line, sizeof line, vf)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.empty()) continue;
    std::vector<uint32_t> w(in_words);
    parse_hex(s, w);
    pixels.push_back(std::move(w));
  }
  std::fclose(vf);
  const std::size_t images = pixels.size() / RG_PIXELS;

  dut->rst_ni = 0;
  dut->in_valid_i = 0;
  dut->out_ready_i = 0;
  for (int i = 0; i < 4; ++i) {
    dut->clk_i = 0; dut->eval();
    dut->clk_i = 1; dut->eval();
  }
  dut->rst_ni = 1;

  std::size_t sent = 0, results = 0, tap_beats = 0;
  // The last result can come before the taps carry the last image's final beats (beats no later
  // layer reads, e.g. skipped by a stride): with taps on, run until those are logged too.
  const std::size_t all_tap_beats = taps ? images * RG_TAP_BEATS : 0;
  uint64_t cycle = 0;
  bool in_valid = false;
  while ((results < images || tap_beats < all_tap_beats) && cycle < max_cycles) {
    // A source holds valid until the beat is taken (valid/ready rules); it idles only between beats.
    if (!in_valid && sent < pixels.size()) in_valid = !(uni(rng) < stall_in);
    dut->in_valid_i = in_valid;
    if (sent < pixels.size()) assign_words(dut->in_data_i, pixels[sent]);
    dut->out_ready_i = !(uni(rng) < stall_out);
    dut->clk_i = 0;
    dut->eval();
    if (taps) tap_beats += rg_log_taps(dut.get(), log);
    if (dut->out_valid_o && dut->out_ready_i) {
      std::fprintf(log, "R %llu %s %s\n", static_cast<unsigned long long>(cycle),
                   hex_of(dut->out_class_o, RG_CLASS_BITS).c_str(), hex_of(dut->out_values_o, RG_VALUE_BITS).c_str());
      ++results;
    }
    if (in_valid && dut->in_ready_o) {
      ++sent;
      in_valid = false;
    }
    dut->clk_i = 1;
    dut->eval();
    ++cycle;
  }
  std::fprintf(log, "E %llu %zu\n", static_cast<unsigned long long>(cycle), results);
  std::fclose(log);
  dut->final();
  return results == images ? 0 : 3;
}
