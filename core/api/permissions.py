from rest_framework import permissions


class ReadOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they read is filtered by the visibility gate); writing needs the
    same model permissions as in the admin (add, change, delete)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)
