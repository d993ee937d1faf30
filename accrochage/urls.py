from django.urls import path
app_name = 'accrochage'
urlpatterns = []
