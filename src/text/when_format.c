/* How dates and times are shown to people, and the sentences that say why a
 * typed date was refused (see when.h). */
#include "dobrobot/text/when.h"

#include <stdbool.h>
#include <string.h>

#include "dobrobot/core/clock.h"
#include "when_internal.h"

static const char *const when_month_en_short[12] = {"Jan", "Feb", "Mar", "Apr",
    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const when_wday_ru[7] = {
    "вс", "пн", "вт", "ср", "чт", "пт", "сб"};
static const char *const when_wday_en[7] = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

static bool
when_is_english(const char *lang)
{
	return lang != NULL && strncmp(lang, "en", 2) == 0;
}

const char *
when_error_text(enum when_error err, const char *lang)
{
	bool en = when_is_english(lang);

	switch (err) {
	case WHEN_OK:
		return "";
	case WHEN_EMPTY:
		return en ? "Please send the day and the time, for example: "
		            "30.11 15:00 or tomorrow 15:00"
		          : "Напишите день и время, например: 30.11 15:00 или "
		            "завтра 15:00";
	case WHEN_NO_DATE:
		return en ? "Please add the day, not only the time, for "
		            "example: 30.11 15:00 or tomorrow 15:00"
		          : "Укажите не только время, но и день, например: "
		            "30.11 15:00 или завтра 15:00";
	case WHEN_NO_TIME:
		return en ? "Please add the starting time, for example: "
		            "30.11 15:00 or tomorrow 15:00"
		          : "Нужно время начала, например: 30.11 15:00 или "
		            "завтра 15:00";
	case WHEN_INVALID:
		return en
		    ? "There is no such day or time; please check the "
		      "day, the month and the hours, for example: "
		      "30.11 15:00 or tomorrow 15:00"
		    : "Такого дня или времени нет, проверьте число, месяц "
		      "и часы, например: 30.11 15:00 или завтра 15:00";
	case WHEN_PAST:
		return en ? "That time has already passed; please send a time "
		            "in the future, for example: 30.11 15:00 or "
		            "tomorrow 15:00"
		          : "Это время уже прошло, укажите время в будущем, "
		            "например: 30.11 15:00 или завтра 15:00";
	case WHEN_PAST_DATE:
		return en ? "That day has already passed this year; add the "
		            "year (30.11.2027 15:00) or send another day, for "
		            "example: 30.11 15:00 or tomorrow 15:00"
		          : "Этот день в этом году уже прошёл; добавьте год "
		            "(30.11.2027 15:00) или напишите другой день, "
		            "например: 30.11 15:00 или завтра 15:00";
	case WHEN_NOT_A_DATE:
	default:
		return en ? "I don't understand the date; please send the day "
		            "and the time, for example: 30.11 15:00 or "
		            "tomorrow 15:00"
		          : "Не понимаю дату, напишите день и время, например: "
		            "30.11 15:00 или завтра 15:00";
	}
}

/* Appends the day of tm, with its year when it is not now_year and its
 * weekday when asked. */
static int
when_append_day(struct buf *out, const struct tm *tm, int now_year,
    bool weekday, bool en)
{
	size_t old_len = out->len;
	int rc;

	if (en && weekday)
		rc = buf_printf(out, "%s ", when_wday_en[tm->tm_wday]);
	else
		rc = 0;
	if (rc == 0)
		rc = en ? buf_printf(out, "%d %s", tm->tm_mday,
		              when_month_en_short[tm->tm_mon])
		        : buf_printf(out, "%d %s", tm->tm_mday,
		              when_month_gen[tm->tm_mon]);
	if (rc == 0 && tm->tm_year + 1900 != now_year)
		rc = buf_printf(out, " %d", tm->tm_year + 1900);
	if (rc == 0 && !en && weekday)
		rc = buf_printf(out, " (%s)", when_wday_ru[tm->tm_wday]);
	if (rc < 0)
		buf_truncate(out, old_len);
	return rc;
}

int
when_format_at(struct buf *out, time_t t, time_t now, const char *lang)
{
	struct tm tm, tm_now;
	size_t old_len = out->len;

	if (localtime_r(&t, &tm) == NULL || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    localtime_r(&now, &tm_now) == NULL)
		return -1;
	if (when_append_day(out, &tm, tm_now.tm_year + 1900, true,
	        when_is_english(lang)) < 0 ||
	    buf_printf(out, ", %02d:%02d", tm.tm_hour, tm.tm_min) < 0) {
		buf_truncate(out, old_len);
		return -1;
	}
	return 0;
}

int
when_format(struct buf *out, time_t t, const char *lang)
{
	return when_format_at(out, t, (time_t)clock_wall_s(), lang);
}

int
when_format_day(struct buf *out, int year, int month, int day, time_t now,
    bool weekday, const char *lang)
{
	struct tm tm, tm_now;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    localtime_r(&now, &tm_now) == NULL)
		return -1;
	return when_append_day(out, &tm, tm_now.tm_year + 1900, weekday,
	    when_is_english(lang));
}
