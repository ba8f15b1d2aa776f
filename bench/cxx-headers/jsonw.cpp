// Workload of bench/cxx-headers-program.sh: nlohmann/json put through most of its API.
#include <nlohmann/json.hpp>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;
using nlohmann::ordered_json;

namespace ns {
struct person {
	std::string name;
	int age = 0;
	std::vector<std::string> tags;
	std::map<std::string, double> scores;
	NLOHMANN_DEFINE_TYPE_INTRUSIVE(person, name, age, tags, scores)
};
enum class color { red, green, blue };
NLOHMANN_JSON_SERIALIZE_ENUM(color, { { color::red, "red" }, { color::green, "green" }, { color::blue, "blue" } })
}

struct counter : nlohmann::json_sax<json> {
	int events = 0;
	bool null() override { return ++events; }
	bool boolean(bool) override { return ++events; }
	bool number_integer(number_integer_t) override { return ++events; }
	bool number_unsigned(number_unsigned_t) override { return ++events; }
	bool number_float(number_float_t, const string_t &) override { return ++events; }
	bool string(string_t &) override { return ++events; }
	bool binary(binary_t &) override { return ++events; }
	bool start_object(std::size_t) override { return ++events; }
	bool key(string_t &) override { return ++events; }
	bool end_object() override { return ++events; }
	bool start_array(std::size_t) override { return ++events; }
	bool end_array() override { return ++events; }
	bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }
};

int json_work()
{
	int total = 0;
	json j = json::parse(R"({"a": [1, 2, 3.5, "x", null, true], "b": {"c": {"d": -7}}, "e": "\u00e9t\u00e9"})");
	total += static_cast<int>(j["a"].size());
	for (auto &[k, v] : j.items())
		total += static_cast<int>(k.size()) + static_cast<int>(v.is_structured());
	total += j.at(json::json_pointer("/b/c/d")).get<int>();
	json patch = json::diff(j, json::parse(R"({"a": [1, 2], "b": {"c": {"d": 8}}, "f": 1})"));
	json patched = j.patch(patch);
	total += static_cast<int>(patched.dump().size());
	j.merge_patch(R"({"e": null, "g": [1]})"_json);
	total += static_cast<int>(j.flatten().size());
	ns::person p{ "Ada", 36, { "math", "engines" }, { { "logic", 9.5 } } };
	json pj = p;
	auto q = pj.get<ns::person>();
	total += q.age + static_cast<int>(q.tags.size());
	json cj = ns::color::green;
	total += static_cast<int>(cj.get<ns::color>());
	std::vector<std::uint8_t> cbor = json::to_cbor(pj), mp = json::to_msgpack(pj), bs = json::to_bson(pj);
	total += static_cast<int>(json::from_cbor(cbor).size() + json::from_msgpack(mp).size() + json::from_bson(bs).size());
	ordered_json oj = { { "z", 1 }, { "a", 2 } };
	oj["m"] = ordered_json::array({ 1, "two", 3.0 });
	total += static_cast<int>(oj.dump(2).size());
	try {
		(void)json::parse("{bad json");
	} catch (const json::parse_error &e) {
		total += e.id;
	}
	try {
		(void)j.at("missing");
	} catch (const json::out_of_range &e) {
		total += e.id;
	}
	try {
		(void)json("s").get<int>();
	} catch (const json::type_error &e) {
		total += e.id;
	}
	counter sax;
	json::sax_parse(R"([1, {"k": "v"}, 2.5, false])", &sax);
	total += sax.events;
	std::stringstream ss;
	ss << std::setw(4) << pj;
	json back;
	ss >> back;
	total += back == pj ? 1 : 0;
	json arr = json::array();
	for (int i = 0; i < 50; i++)
		arr.push_back({ { "i", i }, { "sq", i * i }, { "odd", i % 2 == 1 } });
	auto it = std::find_if(arr.begin(), arr.end(), [](const json &x) { return x["sq"].get<int>() > 400; });
	total += it != arr.end() ? (*it)["i"].get<int>() : -1;
	total += static_cast<int>(std::count_if(arr.begin(), arr.end(), [](const json &x) { return x["odd"].get<bool>(); }));
	return total;
}
