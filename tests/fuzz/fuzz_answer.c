/* libFuzzer target for tg_answer_brief, against tg_parse_response: on any
 * bytes, an answer the brief reader accepts is one the full parse (jansson,
 * after the client's repair of lone surrogates) reads as TG_OK with the
 * same message_id. The brief reader may say no more often than that; it
 * must never say yes to an answer the full parse would not take. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "dobrobot/tg/tg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	int64_t id = 0;
	bool brief = tg_answer_brief(body, size, &id);
	struct tg_result r;
	tg_parse_response(200, body, size, 0, &r);
	if (brief && (r.outcome != TG_OK || r.message_id != id))
		abort();
	tg_result_release(&r);
	return 0;
}
