/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-scan.c: the link checkup walk and its rows.
 *
 *   start ()  ──▶ queue: [Rooms page 0] [My documents page 0]
 *                   │
 *   pump ()   ◀─────┴── at most DSL_CLIENT_MAX_IN_FLIGHT in flight, nothing while the
 *     │                 client is paused after a 429
 *     ├─ OP_LIST (GET files/rooms | files/{id} | files/@my, count 100)
 *     │     first page: the other pages of the listing go to the tail at once
 *     │     each item seen once (kind + id): items-scanned++
 *     │       container            ──▶ OP_LIST page 0 (tail)
 *     │       room that can link   ──▶ OP_LINKS type=1 (head: links come first)
 *     │       file/folder `shared` ──▶ OP_LINKS (head)
 *     └─ OP_LINKS (GET …/links) ──▶ rows (GListStore), one per link id
 *   failure ──▶ 429: the op goes back to the head, and the queue waits for the client's
 *               pause (dsl_client_wait_async: Retry-After, which every caller of the client
 *               waits out too)
 *               401: the run stops ("error")
 *               else: a failure row for the item, the walk goes on
 *   queue empty and nothing in flight ──▶ running = FALSE, "finished"
 *
 * Every request of a run shares the run's GCancellable; cancel, a restart and dispose cancel
 * it, and a callback whose cancellable is no longer the scan's is dropped without a trace.
 * Requests hold the scan weakly, so dropping the last reference cancels the run. */
#define G_LOG_DOMAIN "dsl-link-scan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dsl-link-form.h"
#include "dsl-link-scan.h"
#include "dsl-search-index.h"

/* How often one request is repeated after a 429 (the client retried twice already); a
 * Retry-After beyond the client's longest pause (DSL_CLIENT_MAX_PAUSE_SECONDS) is a failure. */
#define MAX_RATE_LIMIT_RETRIES 8
/* "Rooms › Marketing › Campaigns" */
#define LOCATION_SEPARATOR " \u203a "
/* The Rooms section as a pseudo folder id, as in dsl-folder-model.h. */
#define ROOMS_ID "@rooms"

/* ------------------------------------------------------------------------------------------ */
/* DslLinkScanRow                                                                              */
/* ------------------------------------------------------------------------------------------ */

struct _DslLinkScanRow
{
  GObject           parent_instance;

  /* owned */
  DslItem          *item;
  char             *location;
  DslLink          *link;         /* NULL for a failure row */
  GError           *error;        /* NULL for a link row */
  GDateTime        *checked_at;
  char             *haystack;     /* search text, casefolded; made on first search */
  char             *item_key;     /* collation keys, made on first compare */
  char             *location_key;
  char             *title_key;

  /* plain values */
  DslLinkScanState  state;
};

G_DEFINE_FINAL_TYPE (DslLinkScanRow, dsl_link_scan_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ITEM,
  ROW_PROP_LOCATION,
  ROW_PROP_LINK,
  ROW_PROP_ERROR,
  ROW_PROP_CHECKED_AT,
  ROW_PROP_STATE,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
dsl_link_scan_row_finalize (GObject *object)
{
  DslLinkScanRow *self = DSL_LINK_SCAN_ROW (object);

  g_clear_object (&self->item);
  g_clear_pointer (&self->location, g_free);
  g_clear_object (&self->link);
  g_clear_error (&self->error);
  g_clear_pointer (&self->checked_at, g_date_time_unref);
  g_clear_pointer (&self->haystack, g_free);
  g_clear_pointer (&self->item_key, g_free);
  g_clear_pointer (&self->location_key, g_free);
  g_clear_pointer (&self->title_key, g_free);

  G_OBJECT_CLASS (dsl_link_scan_row_parent_class)->finalize (object);
}

static void
dsl_link_scan_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DslLinkScanRow *self = DSL_LINK_SCAN_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case ROW_PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case ROW_PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    case ROW_PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case ROW_PROP_CHECKED_AT:
      g_value_set_boxed (value, self->checked_at);
      break;
    case ROW_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_scan_row_class_init (DslLinkScanRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dsl_link_scan_row_finalize;
  object_class->get_property = dsl_link_scan_row_get_property;

  row_properties[ROW_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL, DSL_TYPE_LINK,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_CHECKED_AT] =
    g_param_spec_boxed ("checked-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      DSL_LINK_SCAN_STATE_ACTIVE, DSL_LINK_SCAN_STATE_EXPIRED,
                      DSL_LINK_SCAN_STATE_ACTIVE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
dsl_link_scan_row_init (DslLinkScanRow *self)
{
}

static DslLinkScanState
derive_state (DslLink   *link,
              GDateTime *now)
{
  GDateTime *expiry;

  if (link == NULL)
    return DSL_LINK_SCAN_STATE_ACTIVE;

  expiry = dsl_link_get_expiration_date (link);
  if (dsl_link_get_is_expired (link) || (expiry != NULL && g_date_time_compare (expiry, now) <= 0))
    return DSL_LINK_SCAN_STATE_EXPIRED;
  if (dsl_link_expires_within (link, now, 7))
    return DSL_LINK_SCAN_STATE_EXPIRING_SOON;
  return DSL_LINK_SCAN_STATE_ACTIVE;
}

DslLinkScanRow *
dsl_link_scan_row_new (DslItem      *item,
                       const char   *location,
                       DslLink      *link,
                       const GError *error,
                       GDateTime    *checked_at)
{
  DslLinkScanRow *self;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (link == NULL || DSL_IS_LINK (link), NULL);

  self = g_object_new (DSL_TYPE_LINK_SCAN_ROW, NULL);
  self->item = g_object_ref (item);
  self->location = g_strdup (location != NULL ? location : "");
  self->link = link != NULL ? g_object_ref (link) : NULL;
  self->error = error != NULL ? g_error_copy (error) : NULL;
  self->checked_at = checked_at != NULL ? g_date_time_ref (checked_at)
                                        : g_date_time_new_now_local ();
  self->state = derive_state (link, self->checked_at);
  return self;
}

DslItem *
dsl_link_scan_row_get_item (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), NULL);
  return self->item;
}

const char *
dsl_link_scan_row_get_location (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), NULL);
  return self->location;
}

DslLink *
dsl_link_scan_row_get_link (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), NULL);
  return self->link;
}

const GError *
dsl_link_scan_row_get_error (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), NULL);
  return self->error;
}

GDateTime *
dsl_link_scan_row_get_checked_at (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), NULL);
  return self->checked_at;
}

DslLinkScanState
dsl_link_scan_row_get_state (DslLinkScanRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (self), DSL_LINK_SCAN_STATE_ACTIVE);
  return self->state;
}

const char *
dsl_link_scan_state_describe (DslLinkScanState state)
{
  switch (state)
    {
    case DSL_LINK_SCAN_STATE_EXPIRING_SOON:
      return _("Expiring soon");
    case DSL_LINK_SCAN_STATE_EXPIRED:
      return _("Expired");
    case DSL_LINK_SCAN_STATE_ACTIVE:
    default:
      return _("Active");
    }
}

/* --- filters --- */

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

static const char *
row_haystack (DslLinkScanRow *self)
{
  if (self->haystack == NULL)
    {
      g_autofree char *joined =
        g_strjoin ("\n",
                   dsl_item_get_title (self->item) ? dsl_item_get_title (self->item) : "",
                   self->location,
                   dsl_link_get_title (self->link) ? dsl_link_get_title (self->link) : "",
                   dsl_link_get_share_link (self->link) ? dsl_link_get_share_link (self->link) : "",
                   NULL);

      self->haystack = fold (joined);
    }
  return self->haystack;
}

gboolean
dsl_link_scan_row_matches (DslLinkScanRow          *row,
                           const DslLinkScanFilter *filter,
                           const char              *search)
{
  DslLinkScanFilterFlags flags = filter != NULL ? filter->flags : DSL_LINK_SCAN_FILTER_NONE;
  DslLinkScanFilterFlags state_flags;
  DslLinkScanFilterFlags audience_flags;
  DslLink *link;

  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (row), FALSE);

  link = row->link;
  if (link == NULL)
    return FALSE;

  state_flags = flags & (DSL_LINK_SCAN_FILTER_EXPIRED | DSL_LINK_SCAN_FILTER_EXPIRING_SOON);
  if (state_flags != 0 &&
      !((state_flags & DSL_LINK_SCAN_FILTER_EXPIRED && row->state == DSL_LINK_SCAN_STATE_EXPIRED) ||
        (state_flags & DSL_LINK_SCAN_FILTER_EXPIRING_SOON &&
         row->state == DSL_LINK_SCAN_STATE_EXPIRING_SOON)))
    return FALSE;

  if (flags & DSL_LINK_SCAN_FILTER_NO_PASSWORD)
    {
      const char *password = dsl_link_get_password (link);

      if (password != NULL && *password != '\0')
        return FALSE;
    }
  if (flags & DSL_LINK_SCAN_FILTER_NO_EXPIRY && dsl_link_get_expiration_date (link) != NULL)
    return FALSE;
  if (flags & DSL_LINK_SCAN_FILTER_ANYONE_CAN_EDIT &&
      (dsl_link_get_access (link) != DSL_ACCESS_EDITING || dsl_link_get_internal (link)))
    return FALSE;

  audience_flags = flags & (DSL_LINK_SCAN_FILTER_ANYONE | DSL_LINK_SCAN_FILTER_PORTAL_USERS);
  if (audience_flags != 0 &&
      !((audience_flags & DSL_LINK_SCAN_FILTER_ANYONE && !dsl_link_get_internal (link)) ||
        (audience_flags & DSL_LINK_SCAN_FILTER_PORTAL_USERS && dsl_link_get_internal (link))))
    return FALSE;

  if (search != NULL)
    {
      g_autofree char *needle = fold (search);
      g_auto(GStrv) words = g_strsplit_set (needle, " \t\n\r", -1);
      const char *haystack = row_haystack (row);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0' && strstr (haystack, words[i]) == NULL)
          return FALSE;
    }

  return TRUE;
}

/* --- sorting --- */

static const char *
collate_key (char       **key,
             const char  *text)
{
  if (*key == NULL)
    {
      g_autofree char *folded = fold (text);

      *key = g_utf8_collate_key (folded, -1);
    }
  return *key;
}

static const char *
row_item_key (DslLinkScanRow *self)
{
  return collate_key (&self->item_key, dsl_item_get_title (self->item));
}

static const char *
row_location_key (DslLinkScanRow *self)
{
  return collate_key (&self->location_key, self->location);
}

static const char *
row_title_key (DslLinkScanRow *self)
{
  return collate_key (&self->title_key,
                      self->link != NULL ? dsl_link_get_title (self->link) : NULL);
}

static int
access_rank (DslAccess access)
{
  switch (access)
    {
    case DSL_ACCESS_READ:
      return 1;
    case DSL_ACCESS_FILL_FORMS:
      return 2;
    case DSL_ACCESS_COMMENT:
      return 3;
    case DSL_ACCESS_REVIEW:
      return 4;
    case DSL_ACCESS_EDITING:
      return 5;
    case DSL_ACCESS_NONE:
    case DSL_ACCESS_READ_WRITE:
    case DSL_ACCESS_RESTRICT:
    case DSL_ACCESS_VARIES:
    case DSL_ACCESS_CUSTOM_FILTER:
    case DSL_ACCESS_ROOM_MANAGER:
    case DSL_ACCESS_CONTENT_CREATOR:
    default:
      return 100 + (int) access;
    }
}

static int
sign (int value)
{
  return (value > 0) - (value < 0);
}

static int
compare_ints (int a,
              int b)
{
  return (a > b) - (a < b);
}

static gboolean
has_password (DslLink *link)
{
  const char *password = dsl_link_get_password (link);

  return password != NULL && *password != '\0';
}

static int
compare_column (DslLinkScanRow    *a,
                DslLinkScanRow    *b,
                DslLinkScanColumn  column)
{
  GDateTime *ea, *eb;

  switch (column)
    {
    case DSL_LINK_SCAN_COLUMN_ITEM:
      return sign (strcmp (row_item_key (a), row_item_key (b)));
    case DSL_LINK_SCAN_COLUMN_LOCATION:
      return sign (strcmp (row_location_key (a), row_location_key (b)));
    case DSL_LINK_SCAN_COLUMN_TITLE:
      return sign (strcmp (row_title_key (a), row_title_key (b)));
    case DSL_LINK_SCAN_COLUMN_ACCESS:
      return compare_ints (access_rank (dsl_link_get_access (a->link)),
                           access_rank (dsl_link_get_access (b->link)));
    case DSL_LINK_SCAN_COLUMN_AUDIENCE:
      /* portal users only (internal) first */
      return compare_ints (!dsl_link_get_internal (a->link), !dsl_link_get_internal (b->link));
    case DSL_LINK_SCAN_COLUMN_EXPIRY:
      ea = dsl_link_get_expiration_date (a->link);
      eb = dsl_link_get_expiration_date (b->link);
      if (ea == NULL || eb == NULL)
        return compare_ints (ea == NULL, eb == NULL);
      return sign (g_date_time_compare (ea, eb));
    case DSL_LINK_SCAN_COLUMN_PASSWORD:
      return compare_ints (has_password (a->link), has_password (b->link));
    case DSL_LINK_SCAN_COLUMN_STATE:
      /* expired first: the enum runs the other way */
      return compare_ints (b->state, a->state);
    default:
      g_return_val_if_reached (0);
    }
}

int
dsl_link_scan_row_compare (DslLinkScanRow    *a,
                           DslLinkScanRow    *b,
                           DslLinkScanColumn  column)
{
  int result;

  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (a), 0);
  g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (b), 0);
  g_return_val_if_fail (column <= DSL_LINK_SCAN_COLUMN_STATE, 0);

  if (a == b)
    return 0;
  if (a->link == NULL || b->link == NULL)
    {
      result = compare_ints (a->link == NULL, b->link == NULL);
      if (result != 0 || a->link == NULL)
        {
          if (result != 0)
            return result;
          /* two failure rows: by item, then location */
          result = sign (strcmp (row_item_key (a), row_item_key (b)));
          return result != 0 ? result : sign (strcmp (row_location_key (a), row_location_key (b)));
        }
    }

  result = compare_column (a, b, column);
  if (result == 0)
    result = sign (strcmp (row_item_key (a), row_item_key (b)));
  if (result == 0)
    result = sign (strcmp (row_location_key (a), row_location_key (b)));
  if (result == 0)
    result = sign (strcmp (row_title_key (a), row_title_key (b)));
  if (result == 0)
    result = sign (g_strcmp0 (dsl_link_get_id (a->link), dsl_link_get_id (b->link)));
  return result;
}

/* --- CSV --- */

/* Titles are written by other people: a cell starting like a formula (=, +, -, @, tab, CR)
 * would be run by a spreadsheet that opens the file, so it gets a leading apostrophe (the
 * usual guard; spreadsheets show the text as typed). A spreadsheet may also split a cell at a
 * separator it guesses (";" in many locales, a tab, a comma): a formula character right after
 * one is guarded the same way, and a field with ";" is quoted like one with "," (issue 14). */
static gboolean
csv_is_formula_char (char c)
{
  return c != '\0' && strchr ("=+-@\t\r", c) != NULL;
}

static gboolean
csv_is_separator (char c)
{
  return c != '\0' && strchr (",;\t\r\n", c) != NULL;
}

static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  g_autoptr(GString) guarded = g_string_new (NULL);

  if (value == NULL)
    value = "";
  for (const char *p = value; *p != '\0'; p++)
    {
      if (csv_is_formula_char (*p) && (p == value || csv_is_separator (p[-1])))
        g_string_append_c (guarded, '\'');
      g_string_append_c (guarded, *p);
    }

  if (strpbrk (guarded->str, ",;\"\t\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = guarded->str; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    {
      g_string_append (out, guarded->str);
    }
  g_string_append (out, last ? "\r\n" : ",");
}

GBytes *
dsl_link_scan_rows_to_csv (GListModel *rows)
{
  GString *out;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), NULL);

  out = g_string_new (NULL);
  csv_field (out, _("Item"), FALSE);
  csv_field (out, _("Location"), FALSE);
  csv_field (out, _("Link"), FALSE);
  csv_field (out, _("URL"), FALSE);
  csv_field (out, _("Access"), FALSE);
  csv_field (out, _("Audience"), FALSE);
  csv_field (out, _("Expires"), FALSE);
  csv_field (out, _("Password"), FALSE);
  csv_field (out, _("State"), TRUE);

  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);
      g_autofree char *expires = NULL;
      DslLink *link;
      GDateTime *expiry;

      g_return_val_if_fail (DSL_IS_LINK_SCAN_ROW (row), NULL);
      link = row->link;
      if (link == NULL)
        continue;

      expiry = dsl_link_get_expiration_date (link);
      if (expiry != NULL)
        expires = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%S%:z");

      csv_field (out, dsl_item_get_title (row->item), FALSE);
      csv_field (out, row->location, FALSE);
      csv_field (out, dsl_link_get_title (link), FALSE);
      csv_field (out, dsl_link_get_share_link (link), FALSE);
      csv_field (out, dsl_link_describe_access (dsl_link_get_access (link)), FALSE);
      csv_field (out, dsl_link_describe_audience (dsl_link_get_internal (link)), FALSE);
      csv_field (out, expires, FALSE);
      /* Never the password itself. */
      csv_field (out, has_password (link) ? "yes" : "no", FALSE);
      csv_field (out, dsl_link_scan_state_describe (row->state), TRUE);
    }

  return g_string_free_to_bytes (out);
}

gboolean
dsl_link_scan_write_csv (GListModel     *rows,
                         GOutputStream  *out,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = dsl_link_scan_rows_to_csv (rows);
  data = g_bytes_get_data (bytes, &size);
  return g_output_stream_write_all (out, data, size, NULL, cancellable, error);
}

/* ------------------------------------------------------------------------------------------ */
/* DslLinkScan                                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  OP_LIST_ROOMS,
  OP_LIST_FOLDER,
  OP_LINKS,
} OpKind;

/* The pages of one listing after its first: how many are still to come, the items they
 * brought, and whether the listing is cut: a total beyond DSL_CLIENT_MAX_PAGES (those pages
 * are read), or a page that brought nothing new (the portal ignores startIndex: the pages not sent yet
 * are dropped). Shared by the listing's ops (GRcBox). */
typedef struct {
  guint     n_pages_left;
  guint     n_items;
  gboolean  too_long;
  gboolean  repeats;
  gboolean  reported;
} Listing;

/* One request to make. */
typedef struct {
  OpKind    kind;
  DslItem  *item;            /* the container listed (roots: a pseudo item) or the item whose
                                links are read */
  char     *location;        /* where `item` is; NULL for the roots */
  char     *inner_location;  /* OP_LIST_*: the location of the children; NULL for a root
                                until its first page names it */
  guint     start_index;
  guint     rate_limited;    /* times a 429 sent it back */
  gboolean  is_root;
  Listing  *listing;         /* OP_LIST_* of a listing with more than one page, or NULL */
} Op;

struct _DslLinkScan
{
  GObject        parent_instance;

  /* owned */
  DslClient     *client;
  GListStore    *rows;          /* DslLinkScanRow with a link */
  GListStore    *failures;      /* DslLinkScanRow with an error */
  GQueue        *queue;         /* Op, not sent yet */
  GHashTable    *seen_items;    /* "k:id" of every item seen in this run */
  GHashTable    *links_by_id;   /* link id -> DslLinkScanRow (borrowed from rows) */
  GCancellable  *cancellable;   /* of the run; NULL when none is under way */
  GDateTime     *started_at;    /* of the run: the rows' checked-at */
  GError        *error;

  /* plain values */
  guint          n_in_flight;
  guint          items_scanned;
  guint          paused : 1;    /* waiting for the client's pause after a 429 */
  guint          running : 1;
};

G_DEFINE_FINAL_TYPE (DslLinkScan, dsl_link_scan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_RUNNING,
  PROP_ITEMS_SCANNED,
  PROP_LINKS_FOUND,
  PROP_N_FAILURES,
  PROP_ERROR,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
op_free (Op *op)
{
  g_clear_object (&op->item);
  g_free (op->location);
  g_free (op->inner_location);
  g_clear_pointer (&op->listing, g_rc_box_release);
  g_free (op);
}

static Op *
op_new (OpKind      kind,
        DslItem    *item,
        const char *location)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->item = g_object_ref (item);
  op->location = g_strdup (location);
  if (kind != OP_LINKS && location != NULL)
    op->inner_location = g_strconcat (location, LOCATION_SEPARATOR,
                                      dsl_item_get_title (item), NULL);
  return op;
}

/* A later page of the same listing. */
static Op *
op_next_page (Op    *op,
              guint  start_index)
{
  Op *next = g_new0 (Op, 1);

  next->kind = op->kind;
  next->item = g_object_ref (op->item);
  next->location = g_strdup (op->location);
  next->inner_location = g_strdup (op->inner_location);
  next->start_index = start_index;
  next->is_root = op->is_root;
  next->listing = op->listing != NULL ? g_rc_box_acquire (op->listing) : NULL;
  return next;
}

/* One request in flight. Holds the scan weakly, the run's cancellable strongly. */
typedef struct {
  GWeakRef      scan;
  GCancellable *cancellable;
  Op           *op;
} Request;

static void
request_free (Request *request)
{
  g_weak_ref_clear (&request->scan);
  g_clear_object (&request->cancellable);
  g_clear_pointer (&request->op, op_free);
  g_free (request);
}

/* --- state with notifications --- */

static void
set_running (DslLinkScan *self,
             gboolean     running)
{
  if (self->running == !!running)
    return;
  self->running = !!running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_items_scanned (DslLinkScan *self,
                   guint        n)
{
  if (self->items_scanned == n)
    return;
  self->items_scanned = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_SCANNED]);
}

/* Takes `error` (NULL clears). */
static void
set_error (DslLinkScan *self,
           GError      *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Ends the run's requests without a trace: nothing in flight counts any more. */
static void
stop_run (DslLinkScan *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->paused = FALSE;
  g_queue_clear_full (self->queue, (GDestroyNotify) op_free);
  self->n_in_flight = 0;
  set_running (self, FALSE);
}

static void
finish_run (DslLinkScan *self)
{
  g_autoptr(DslLinkScan) keep = g_object_ref (self);

  stop_run (self);
  /* The Shell search provider's index, when one is attached to the client: the link counts,
   * and what the portal no longer has when every listing was read. */
  dsl_search_index_feed_scan (self->client,
                              self->error == NULL ? G_LIST_MODEL (self->rows) : NULL,
                              self->started_at,
                              g_list_model_get_n_items (G_LIST_MODEL (self->failures)) == 0);
  g_signal_emit (self, signals[FINISHED], 0);
}

/* --- requests --- */

static void pump (DslLinkScan *self);
static void listing_page_done (DslLinkScan *self,
                               Op          *op);

static void
add_failure (DslLinkScan  *self,
             Op           *op,
             const GError *error)
{
  g_autoptr(DslLinkScanRow) row = NULL;

  g_debug ("could not read %s %s: %s", op->kind == OP_LINKS ? "the links of" : "the contents of",
           dsl_item_get_id (op->item), error->message);
  row = dsl_link_scan_row_new (op->item, op->location, NULL, error, self->started_at);
  g_list_store_append (self->failures, row);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILURES]);
}

/* The client's pause is over (or the run was cancelled: then the answer is dropped). */
static void
pause_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(DslLinkScan) self = g_weak_ref_get (&request->scan);

  dsl_client_wait_finish (DSL_CLIENT (source), result, NULL);
  if (self != NULL && self->cancellable == request->cancellable)
    {
      self->paused = FALSE;
      pump (self);
    }
  request_free (request);
}

/* Holds the queue until the client's pause is over. */
static void
wait_for_client (DslLinkScan *self)
{
  Request *request;

  if (self->paused)
    return;
  request = g_new0 (Request, 1);
  g_weak_ref_init (&request->scan, self);
  request->cancellable = g_object_ref (self->cancellable);
  self->paused = TRUE;
  dsl_client_wait_async (self->client, self->cancellable, pause_done_cb, request);
}

/* Handles a failed request; consumes `op`. */
static void
op_failed (DslLinkScan  *self,
           Op           *op,
           const GError *error)
{
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED))
    {
      /* Every further request would fail the same way. */
      op_free (op);
      set_error (self, g_error_copy (error));
      finish_run (self);
      return;
    }

  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED))
    {
      guint retry_after = dsl_error_get_retry_after (error);

      if (retry_after <= DSL_CLIENT_MAX_PAUSE_SECONDS &&
          op->rate_limited < MAX_RATE_LIMIT_RETRIES)
        {
          /* The server wants everyone to wait: the client holds back every request until
           * Retry-After has passed, and the queue waits for it too. */
          op->rate_limited++;
          g_queue_push_head (self->queue, op);
          wait_for_client (self);
          return;
        }
    }

  if (op->is_root && op->kind == OP_LIST_FOLDER &&
      g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_FOUND))
    {
      /* Guests have no My documents. */
      op_free (op);
      return;
    }

  add_failure (self, op, error);
  listing_page_done (self, op);
  op_free (op);
}

/* One page of a cut listing is done (read, failed or dropped): after the last, a failure row
 * says the listing was not read to its end. */
static void
listing_page_done (DslLinkScan *self,
                   Op          *op)
{
  Listing *listing = op->listing;
  g_autoptr(GError) error = NULL;

  if (listing == NULL || op->start_index == 0)
    return;
  g_assert (listing->n_pages_left > 0);
  listing->n_pages_left--;
  if (listing->n_pages_left > 0 || !(listing->too_long || listing->repeats) ||
      listing->reported)
    return;

  listing->reported = TRUE;
  error = g_error_new (DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                       _("The portal keeps sending more pages: stopped after %u items"),
                       listing->n_items);
  add_failure (self, op, error);
}

static char *
item_key (DslItem *item)
{
  return g_strdup_printf ("%d:%s", dsl_item_get_kind (item), dsl_item_get_id (item));
}

static void
list_done (DslLinkScan   *self,
           Op            *op,
           DslFolderPage *page)
{
  guint scanned = self->items_scanned;

  dsl_search_index_feed_page (self->client, dsl_item_get_id (op->item), page->items);
  if (op->inner_location == NULL)
    {
      /* A root: the server names it in the portal's language. */
      const char *title = page->current != NULL ? dsl_item_get_title (page->current) : NULL;

      op->inner_location = g_strdup (title != NULL && *title != '\0'
                                     ? title : dsl_item_get_title (op->item));
    }

  if (op->start_index == 0 && page->total > DSL_CLIENT_PAGE_SIZE && page->items->len > 0)
    {
      guint end = dsl_client_page_count (page->total) * DSL_CLIENT_PAGE_SIZE;

      op->listing = g_rc_box_new0 (Listing);
      op->listing->too_long = page->total > end;
      for (guint start = DSL_CLIENT_PAGE_SIZE; start < end; start += DSL_CLIENT_PAGE_SIZE)
        {
          g_queue_push_tail (self->queue, op_next_page (op, start));
          op->listing->n_pages_left++;
        }
    }

  for (guint i = 0; i < page->items->len; i++)
    {
      DslItem *item = g_ptr_array_index (page->items, i);
      g_autofree char *key = item_key (item);
      DslItemKind kind = dsl_item_get_kind (item);

      if (!g_hash_table_add (self->seen_items, g_steal_pointer (&key)))
        continue;
      scanned++;

      /* A folder or room whose counts say it is empty (FolderDto filesCount and foldersCount
       * both 0; -1 when the server did not say) has nothing to walk: on a portal with many
       * empty folders this saves a request each, a third of the checkup's requests at
       * --scale 200. Connected storage (providerItem) always says 0 and 0, full or not:
       * it is always listed. */
      if (dsl_item_is_container (item) &&
          (dsl_item_get_provider_item (item) ||
           !(dsl_item_get_files_count (item) == 0 && dsl_item_get_folders_count (item) == 0)))
        g_queue_push_tail (self->queue, op_new (OP_LIST_FOLDER, item, op->inner_location));

      /* Links first: they are what the person waits for. */
      if (kind == DSL_ITEM_KIND_ROOM)
        {
          if (dsl_link_form_explain_no_links (item) == NULL)
            g_queue_push_head (self->queue, op_new (OP_LINKS, item, op->inner_location));
        }
      else if (dsl_item_get_shared (item))
        {
          g_queue_push_head (self->queue, op_new (OP_LINKS, item, op->inner_location));
        }
    }

  if (op->listing != NULL)
    {
      op->listing->n_items += page->items->len;
      /* A later page with nothing new: the portal sends the same items again. */
      if (op->start_index > 0 && page->items->len > 0 && scanned == self->items_scanned)
        op->listing->repeats = TRUE;
      listing_page_done (self, op);
    }

  set_items_scanned (self, scanned);
}

static void
links_done (DslLinkScan *self,
            Op          *op,
            GPtrArray   *links)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean is_room = dsl_item_get_kind (op->item) == DSL_ITEM_KIND_ROOM;

  for (guint i = 0; i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);
      const char *id = dsl_link_get_id (link);
      DslLinkScanRow *existing;
      DslLinkScanRow *row;

      if (dsl_link_get_link_type (link) == DSL_LINK_TYPE_INVITATION || id == NULL)
        continue;

      existing = g_hash_table_lookup (self->links_by_id, id);
      if (existing != NULL)
        {
          guint position;

          /* A file in a Form-filling room shows the room's link: the row belongs to the room. */
          if (!is_room || dsl_item_get_kind (existing->item) == DSL_ITEM_KIND_ROOM ||
              !g_list_store_find (self->rows, existing, &position))
            continue;
          row = dsl_link_scan_row_new (op->item, op->location, link, NULL, self->started_at);
          g_hash_table_replace (self->links_by_id, g_strdup (id), row);
          g_list_store_splice (self->rows, position, 1, (gpointer *) &row, 1);
          g_object_unref (row);
          continue;
        }

      row = dsl_link_scan_row_new (op->item, op->location, link, NULL, self->started_at);
      g_hash_table_insert (self->links_by_id, g_strdup (id), row);
      g_ptr_array_add (added, row);
    }

  if (added->len > 0)
    {
      g_list_store_splice (self->rows, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
                           added->pdata, added->len);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKS_FOUND]);
    }
}

/* Takes the scan back from a finished request, or NULL when the answer belongs to a run that
 * is over (cancelled, restarted, disposed). */
static DslLinkScan *
request_take_scan (Request *request)
{
  DslLinkScan *self = g_weak_ref_get (&request->scan);

  if (self == NULL)
    return NULL;
  if (self->cancellable != request->cancellable)
    {
      g_object_unref (self);
      return NULL;
    }
  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  return self;
}

static void
request_done (DslLinkScan  *self,
              Request      *request,
              const GError *error)
{
  if (error != NULL)
    op_failed (self, g_steal_pointer (&request->op), error);

  /* op_failed may have ended the run. */
  if (self->cancellable == request->cancellable)
    pump (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(DslLinkScan) self = request_take_scan (request);
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = dsl_client_list_page_finish (DSL_CLIENT (source), result, &error);

  if (self != NULL)
    {
      if (page != NULL)
        list_done (self, request->op, page);
      request_done (self, request, error);
    }
  request_free (request);
}

static void
links_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(DslLinkScan) self = request_take_scan (request);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;

  links = dsl_client_list_links_finish (DSL_CLIENT (source), result, &error);
  if (self != NULL)
    {
      if (links != NULL)
        links_done (self, request->op, links);
      request_done (self, request, error);
    }
  request_free (request);
}

static void
send_op (DslLinkScan *self,
         Op          *op)
{
  Request *request = g_new0 (Request, 1);
  DslItem *item = op->item;

  g_weak_ref_init (&request->scan, self);
  request->cancellable = g_object_ref (self->cancellable);
  request->op = op;
  self->n_in_flight++;

  switch (op->kind)
    {
    case OP_LIST_ROOMS:
    case OP_LIST_FOLDER:
      dsl_client_list_page_async (self->client,
                                  op->kind == OP_LIST_ROOMS ? DSL_FOLDER_ROOMS
                                                            : dsl_item_get_id (item),
                                  NULL, op->start_index, self->cancellable, list_cb, request);
      break;
    case OP_LINKS:
      /* Rooms: external links only (invitation links are not for the checkup). */
      dsl_client_list_links_async (self->client, dsl_item_get_kind (item), dsl_item_get_id (item),
                                   dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM
                                   ? DSL_LINK_TYPE_EXTERNAL : -1,
                                   self->cancellable, links_cb, request);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
pump (DslLinkScan *self)
{
  if (self->cancellable == NULL)
    return;

  while (!self->paused && self->n_in_flight < DSL_CLIENT_MAX_IN_FLIGHT &&
         !g_queue_is_empty (self->queue))
    {
      Op *op = g_queue_pop_head (self->queue);

      /* The rest of a listing that repeats itself is not asked for. */
      if (op->listing != NULL && op->listing->repeats && op->start_index > 0)
        {
          listing_page_done (self, op);
          op_free (op);
          continue;
        }
      send_op (self, op);
    }

  if (!self->paused && self->n_in_flight == 0 && g_queue_is_empty (self->queue))
    finish_run (self);
}

/* --- GObject --- */

static void
dsl_link_scan_dispose (GObject *object)
{
  DslLinkScan *self = DSL_LINK_SCAN (object);

  stop_run (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (dsl_link_scan_parent_class)->dispose (object);
}

static void
dsl_link_scan_finalize (GObject *object)
{
  DslLinkScan *self = DSL_LINK_SCAN (object);

  g_clear_pointer (&self->links_by_id, g_hash_table_unref);
  g_clear_pointer (&self->seen_items, g_hash_table_unref);
  g_clear_object (&self->rows);
  g_clear_object (&self->failures);
  g_queue_free_full (self->queue, (GDestroyNotify) op_free);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (dsl_link_scan_parent_class)->finalize (object);
}

static void
dsl_link_scan_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DslLinkScan *self = DSL_LINK_SCAN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_ITEMS_SCANNED:
      g_value_set_uint (value, self->items_scanned);
      break;
    case PROP_LINKS_FOUND:
      g_value_set_uint (value, dsl_link_scan_get_links_found (self));
      break;
    case PROP_N_FAILURES:
      g_value_set_uint (value, dsl_link_scan_get_n_failures (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_scan_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DslLinkScan *self = DSL_LINK_SCAN (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_scan_class_init (DslLinkScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dsl_link_scan_dispose;
  object_class->finalize = dsl_link_scan_finalize;
  object_class->get_property = dsl_link_scan_get_property;
  object_class->set_property = dsl_link_scan_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEMS_SCANNED] =
    g_param_spec_uint ("items-scanned", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKS_FOUND] =
    g_param_spec_uint ("links-found", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FAILURES] =
    g_param_spec_uint ("n-failures", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dsl_link_scan_init (DslLinkScan *self)
{
  self->rows = g_list_store_new (DSL_TYPE_LINK_SCAN_ROW);
  self->failures = g_list_store_new (DSL_TYPE_LINK_SCAN_ROW);
  self->queue = g_queue_new ();
  self->seen_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->links_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DslLinkScan *
dsl_link_scan_new (DslClient *client)
{
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);

  return g_object_new (DSL_TYPE_LINK_SCAN, "client", client, NULL);
}

DslClient *
dsl_link_scan_get_client (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), NULL);
  return self->client;
}

void
dsl_link_scan_start (DslLinkScan *self)
{
  g_autoptr(DslItem) rooms = NULL;
  g_autoptr(DslItem) my = NULL;
  Op *op;

  g_return_if_fail (DSL_IS_LINK_SCAN (self));

  g_object_freeze_notify (G_OBJECT (self));

  stop_run (self);
  g_hash_table_remove_all (self->seen_items);
  g_hash_table_remove_all (self->links_by_id);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    {
      g_list_store_remove_all (self->rows);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKS_FOUND]);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->failures)) > 0)
    {
      g_list_store_remove_all (self->failures);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILURES]);
    }
  set_items_scanned (self, 0);
  set_error (self, NULL);

  g_clear_pointer (&self->started_at, g_date_time_unref);
  self->started_at = g_date_time_new_now_local ();
  self->cancellable = g_cancellable_new ();

  rooms = dsl_item_new (DSL_ITEM_KIND_FOLDER, ROOMS_ID, _("Rooms"));
  op = op_new (OP_LIST_ROOMS, rooms, NULL);
  op->is_root = TRUE;
  g_queue_push_tail (self->queue, op);

  my = dsl_item_new (DSL_ITEM_KIND_FOLDER, DSL_FOLDER_MY, _("My documents"));
  op = op_new (OP_LIST_FOLDER, my, NULL);
  op->is_root = TRUE;
  g_queue_push_tail (self->queue, op);

  set_running (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  dsl_search_index_feed_scan_start (self->client);
  pump (self);
}

void
dsl_link_scan_cancel (DslLinkScan *self)
{
  g_return_if_fail (DSL_IS_LINK_SCAN (self));

  stop_run (self);
}

gboolean
dsl_link_scan_get_running (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), FALSE);
  return self->running;
}

guint
dsl_link_scan_get_items_scanned (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), 0);
  return self->items_scanned;
}

guint
dsl_link_scan_get_links_found (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

guint
dsl_link_scan_get_n_failures (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->failures));
}

const GError *
dsl_link_scan_get_error (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), NULL);
  return self->error;
}

gboolean
dsl_link_scan_update_link (DslLinkScan *self,
                           const char  *link_id,
                           DslLink     *link)
{
  DslLinkScanRow *existing;
  DslLinkScanRow *row;
  guint position;

  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), FALSE);
  g_return_val_if_fail (link_id != NULL, FALSE);
  g_return_val_if_fail (link == NULL || DSL_IS_LINK (link), FALSE);

  existing = g_hash_table_lookup (self->links_by_id, link_id);
  if (existing == NULL || !g_list_store_find (self->rows, existing, &position))
    return FALSE;

  if (link == NULL || dsl_link_get_id (link) == NULL)
    {
      g_hash_table_remove (self->links_by_id, link_id);
      g_list_store_remove (self->rows, position);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKS_FOUND]);
      return TRUE;
    }

  row = dsl_link_scan_row_new (existing->item, existing->location, link, NULL,
                               existing->checked_at);
  /* `existing` is freed by the splice below; the table only borrows rows. */
  g_hash_table_remove (self->links_by_id, link_id);
  g_hash_table_replace (self->links_by_id, g_strdup (dsl_link_get_id (link)), row);
  g_list_store_splice (self->rows, position, 1, (gpointer *) &row, 1);
  g_object_unref (row);
  return TRUE;
}

GListModel *
dsl_link_scan_get_rows (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), NULL);
  return G_LIST_MODEL (self->rows);
}

GListModel *
dsl_link_scan_get_failures (DslLinkScan *self)
{
  g_return_val_if_fail (DSL_IS_LINK_SCAN (self), NULL);
  return G_LIST_MODEL (self->failures);
}
