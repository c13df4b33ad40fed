/*
 * model.c — freeing the domain's arrays (see model.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

void
kh_month_input_clear(struct kh_month_input *in)
{
	if (in == NULL)
		return;
	free(in->managers);
	free(in->customers);
	free(in->brands);
	free(in->key_brands);
	free(in->targets);
	free(in->volumes);
	free(in->shelves);
	free(in->records);
	memset(in, 0, sizeof(*in));
}

void
kh_month_result_clear(struct kh_month_result *r)
{
	if (r == NULL)
		return;
	free(r->results);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}
