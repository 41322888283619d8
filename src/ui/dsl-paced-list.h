/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DSL_TYPE_PACED_LIST (dsl_paced_list_get_type ())
G_DECLARE_FINAL_TYPE (DslPacedList, dsl_paced_list, DSL, PACED_LIST, GObject)

DslPacedList *dsl_paced_list_new         (GListModel   *source,
                                          guint         per_frame);
void          dsl_paced_list_set_widget  (DslPacedList *self,
                                          GtkWidget    *widget);
guint         dsl_paced_list_get_pending (DslPacedList *self);
void          dsl_paced_list_grow        (DslPacedList *self,
                                          guint         n);
void          dsl_paced_list_flush       (DslPacedList *self);

G_END_DECLS
