from rest_framework import permissions


class ReadOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they read is filtered by the visibility gate); writing needs the
    same model permissions as in the admin (add, change, delete).

    A method the view does not implement is let through here so that the caller gets the
    405 it deserves, with the methods it may use, instead of a permission error; a view with
    a write handler but no model to take permissions from refuses every write.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)
