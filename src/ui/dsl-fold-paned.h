/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-fold-paned.h: a GtkPaned that shows only one of its children below a width */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DSL_TYPE_FOLD_PANED (dsl_fold_paned_get_type ())
G_DECLARE_FINAL_TYPE (DslFoldPaned, dsl_fold_paned, DSL, FOLD_PANED, GtkWidget)

/* Properties: "child" (GtkPaned, the panes), "fold-threshold" (int: narrower than this it
 * folds), "folded" (boolean, read-only), "show-end-child" (boolean: which child a folded pane
 * shows, the start child by default). */
GtkWidget *dsl_fold_paned_new                (void);
GtkPaned  *dsl_fold_paned_get_child          (DslFoldPaned *self);
void       dsl_fold_paned_set_child          (DslFoldPaned *self,
                                              GtkPaned     *child);
int        dsl_fold_paned_get_fold_threshold (DslFoldPaned *self);
void       dsl_fold_paned_set_fold_threshold (DslFoldPaned *self,
                                              int           threshold);
gboolean   dsl_fold_paned_get_folded         (DslFoldPaned *self);
gboolean   dsl_fold_paned_get_show_end_child (DslFoldPaned *self);
void       dsl_fold_paned_set_show_end_child (DslFoldPaned *self,
                                              gboolean      show_end_child);

G_END_DECLS
