/* stagger: how every writer of CSV and JSON puts text in a field, once:
 * the schedule export, what-if results and capacity answers all quote
 * alike.
 *
 * stg_csv_write_field() writes one CSV field (RFC 4180): in double
 * quotes, with each " doubled, when it holds a comma, a quote, CR or LF,
 * or starts or ends with a space.  Text that a spreadsheet would run as
 * a formula (starting with =, +, -, @, a tab or CR) gets a ' before it,
 * inside quotes; a plain decimal number ("-81.2") is written as it is.
 *
 * stg_json_write_string() writes s as a JSON string with its quotes
 * (null for NULL): ", \ and control characters escaped, U+2028 and
 * U+2029 too (JavaScript reads them as line ends); a byte that is not
 * UTF-8 is written as \u00XX of its value.  Nothing is allocated. */
#ifndef STG_FIELDS_H
#define STG_FIELDS_H

#include <stdio.h>

void stg_csv_write_field(FILE *out, const char *s);
void stg_json_write_string(FILE *out, const char *s);

#endif
